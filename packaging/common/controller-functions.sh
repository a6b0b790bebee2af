# Shared by the sluice-controller .deb maintainer scripts and the .rpm scriptlets (inlined
# into each at build time by packaging/build-packages.sh).

SLUICE_CONTROLLER_USER=sluice
SLUICE_CONTROLLER_STATE=/var/lib/sluice-controller

# The unprivileged system user the controller runs as. useradd exists on both families
# (passwd on Debian, shadow-utils on RHEL); the sysusers.d file covers systemd-sysusers.
sluice_controller_add_user() {
  if ! getent passwd "$SLUICE_CONTROLLER_USER" >/dev/null; then
    useradd --system --user-group --home-dir "$SLUICE_CONTROLLER_STATE" --no-create-home \
      --shell /usr/sbin/nologin --comment "Sluice controller" "$SLUICE_CONTROLLER_USER"
  fi
}

# The data directory belongs to the service user and nobody else.
sluice_controller_own_state() {
  mkdir -p "$SLUICE_CONTROLLER_STATE"
  chown "$SLUICE_CONTROLLER_USER:$SLUICE_CONTROLLER_USER" "$SLUICE_CONTROLLER_STATE"
  chmod 0750 "$SLUICE_CONTROLLER_STATE"
}

sluice_systemd_running() {
  [ -d /run/systemd/system ]
}
