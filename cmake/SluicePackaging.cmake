# Install rules for the files that turn the three binaries into a system service: the systemd
# units, the configuration under /etc/sluice, the default policy pack, the controller's launcher
# and its system user, and the manual pages. The binaries install themselves (agent/, cli/,
# controller/).
# `sluice.sh package` runs `cmake --install` into a staging DESTDIR with CMAKE_INSTALL_PREFIX=/usr
# and builds the .deb and .rpm from that tree (packaging/build-packages.sh).
include(GNUInstallDirs)

# Relative to the prefix: /usr/lib/systemd/system. Debian 12 installs units under /lib; the
# .deb builder moves them there (see packaging/deb/build-deb.sh).
set(SLUICE_SYSTEMD_UNITDIR "${CMAKE_INSTALL_PREFIX}/lib/systemd/system" CACHE PATH
    "Where the systemd units are installed")
set(SLUICE_PKG_DIR ${CMAKE_CURRENT_SOURCE_DIR}/packaging)

# One install component per package, so either package can be staged without the other's
# binary having been built: `cmake --install BUILD --component sluice-agent`.
# ${CMAKE_INSTALL_FULL_SYSCONFDIR} is /etc when the prefix is /usr (GNUInstallDirs).
install(FILES ${SLUICE_PKG_DIR}/systemd/sluice-agent.service
        DESTINATION ${SLUICE_SYSTEMD_UNITDIR} COMPONENT sluice-agent)
install(FILES ${SLUICE_PKG_DIR}/config/agent.yaml
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/sluice COMPONENT sluice-agent)
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/policy/packs/hipaa-default.yaml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/sluice/policy COMPONENT sluice-agent)
install(FILES ${SLUICE_PKG_DIR}/man/sluice-agent.8
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man8 COMPONENT sluice-agent)
install(FILES ${SLUICE_PKG_DIR}/man/sluicectl.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT sluice-agent)

install(FILES ${SLUICE_PKG_DIR}/systemd/sluice-controller.service
        DESTINATION ${SLUICE_SYSTEMD_UNITDIR} COMPONENT sluice-controller)
install(FILES ${SLUICE_PKG_DIR}/systemd/sluice-controller.sysusers
        DESTINATION ${CMAKE_INSTALL_PREFIX}/lib/sysusers.d RENAME sluice-controller.conf
        COMPONENT sluice-controller)
install(FILES ${SLUICE_PKG_DIR}/config/controller.yaml
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/sluice COMPONENT sluice-controller)
install(PROGRAMS ${SLUICE_PKG_DIR}/libexec/sluice-controller-serve
        DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/sluice COMPONENT sluice-controller)
install(FILES ${SLUICE_PKG_DIR}/man/sluice-controller.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT sluice-controller)
