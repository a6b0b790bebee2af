/* User-space entry to the kernel's ClientHello parser (bpf/tls_parse.h). */
#ifndef SLUICE_SNI_SHIM_H
#define SLUICE_SNI_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

/* Returns the server_name length (0: none), -1 when `data` is not a ClientHello record.
 * `name` gets the lower-cased name, NUL-padded; `ech` is set when the hello carries ECH. */
int sluice_sni_parse(const unsigned char *data, unsigned len, char name[128], int *ech);

#ifdef __cplusplus
}
#endif

#endif
