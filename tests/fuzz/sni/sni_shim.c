/* The ClientHello parser from bpf/tls_parse.h, built for user space over a byte buffer. */
#include "sni_shim.h"

#include "tls_parse.h"

int sluice_sni_parse(const unsigned char *data, unsigned len, char name[128], int *ech)
{
	sluice_pkt p = {data, len};

	memset(name, 0, 128);
	*ech = 0;
	return parse_client_hello(&p, 0, name, ech);
}
