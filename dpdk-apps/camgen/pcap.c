/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include "pcap.h"

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define LINKTYPE_ETHERNET 1

/* Host byte order, as libpcap writes: readers detect it from the magic. */
struct file_hdr {
	uint32_t magic;
	uint16_t major, minor;
	int32_t thiszone;
	uint32_t sigfigs, snaplen, linktype;
};

struct rec_hdr {
	uint32_t sec, usec, caplen, len;
};

FILE *
vg_pcap_open(const char *path)
{
	struct file_hdr h = { PCAP_MAGIC_US, 2, 4, 0, 0, 65535,
			      LINKTYPE_ETHERNET };
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		return NULL;
	if (fwrite(&h, sizeof(h), 1, f) != 1) {
		int e = errno;

		fclose(f);
		errno = e;
		return NULL;
	}
	return f;
}

int
vg_pcap_write(FILE *f, uint64_t t_ns, const uint8_t *frame, uint32_t len)
{
	struct rec_hdr r = { (uint32_t)(t_ns / 1000000000u),
			     (uint32_t)(t_ns % 1000000000u / 1000u), len, len };

	if (fwrite(&r, sizeof(r), 1, f) != 1 ||
	    fwrite(frame, 1, len, f) != len)
		return -1;
	return 0;
}

int
vg_pcap_close(FILE *f)
{
	int bad = ferror(f);

	if (fclose(f) != 0 || bad) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}
