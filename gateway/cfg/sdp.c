/* SPDX-License-Identifier: BSD-3-Clause */
/* Session descriptions for the centers: what a receiver needs to open one
 * stream a gateway sends it (SRTP to a center, plain RTP from a center
 * gateway to its VMS), and the files that carry them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "sdp.h"

int
vg_sdp_center(const struct vg_cfg *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->n_centers; i++)
		if (strcmp(cfg->centers[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Whether another stream of the camera at index i goes to the same center
 * (fan-out allows it, on other ports): then the names need the port. */
static bool
shared_name(const struct vg_cfg *cfg, unsigned i)
{
	const struct vg_cfg_camera *cam = &cfg->cameras[i];

	for (unsigned j = 0; j < cfg->n_cameras; j++)
		if (j != i && cfg->cameras[j].center == cam->center &&
		    strcmp(cfg->cameras[j].name, cam->name) == 0)
			return true;
	return false;
}

/* Every camera entry is one stream toward one center (a fan-out camera
 * has one entry per destination), so a center's streams are its entries. */
unsigned
vg_sdp_streams(const struct vg_cfg *cfg, unsigned center,
	       struct vg_sdp_stream *out, unsigned max)
{
	unsigned n = 0;

	if (center >= cfg->n_centers)
		return 0;
	for (unsigned i = 0; i < cfg->n_cameras; i++) {
		const struct vg_cfg_camera *cam = &cfg->cameras[i];
		struct vg_sdp_stream *st;

		if (cam->center != center || n++ >= max)
			continue;
		st = &out[n - 1];
		memset(st, 0, sizeof(*st));
		/* '@' is never in a configured name: no clash possible. */
		if (shared_name(cfg, i))
			snprintf(st->name, sizeof(st->name), "%s@%u", cam->name,
				 cam->dst_port);
		else
			snprintf(st->name, sizeof(st->name), "%s", cam->name);
		st->addr = cfg->centers[center].addr;
		st->port = cam->dst_port;
		st->rtcp_port = cam->dst_rtcp_port;
		st->payload_type = cam->payload_type;
		snprintf(st->codec, sizeof(st->codec), "%s", cam->codec);
		st->suite = cam->suite;
		st->key = cam->key;
		st->ssrc = cam->ssrc;
	}
	return n;
}

/* A route as its VMS receives it.  The gateway sends from its access
 * port's address (c=, see sdp.h) to vms:vms_port, and the SSRC unchanged. */
unsigned
vg_sdp_routes(const struct vg_cfg *cfg, struct vg_sdp_stream *out,
	      unsigned max)
{
	for (unsigned i = 0; i < cfg->n_routes && i < max; i++) {
		const struct vg_cfg_route *r = &cfg->routes[i];
		struct vg_sdp_stream *st = &out[i];

		memset(st, 0, sizeof(*st));
		snprintf(st->name, sizeof(st->name), "%s", r->name);
		st->addr = cfg->ports[r->out_port].addr;
		st->port = r->vms_port;
		st->rtcp_port = r->vms_rtcp_port;
		st->payload_type = VG_SDP_VMS_PT;
		snprintf(st->codec, sizeof(st->codec), "%s", VG_SDP_VMS_CODEC);
		st->plain = true;
		st->ssrc = r->ssrc;
	}
	return cfg->n_routes;
}

/* The RTCP line: RFC 3550's default (port + 1) needs none; RFC 5761
 * muxing and any other port must be said (RFC 3605). */
static int
format_rtcp(const struct vg_sdp_stream *st, char *buf, size_t len)
{
	if (st->rtcp_port == st->port)
		return snprintf(buf, len, "a=rtcp-mux\r\n");
	if (st->rtcp_port != st->port + 1)
		return snprintf(buf, len, "a=rtcp:%u\r\n", st->rtcp_port);
	return snprintf(buf, len, "%s", "");
}

/* RFC 6184 §8.1: without fmtp a receiver assumes packetization-mode 0
 * (single NAL units only), but cameras send FU-A fragments.  RFC 7798
 * needs no fmtp: H.265 parameter sets travel in-band. */
static int
format_video(const struct vg_sdp_stream *st, char *buf, size_t len)
{
	unsigned pt = st->payload_type;

	if (strcmp(st->codec, "H264") == 0)
		return snprintf(buf, len, "a=rtpmap:%u H264/90000\r\n"
				"a=fmtp:%u packetization-mode=1\r\n", pt, pt);
	if (strcmp(st->codec, "H265") == 0)
		return snprintf(buf, len, "a=rtpmap:%u H265/90000\r\n", pt);
	return -EINVAL;
}

/* The SDES line (RFC 4568): "a=crypto:1 SUITE inline:KEY", or nothing on
 * the plain leg.  Holds the key: the caller wipes it. */
static int
format_crypto(const struct vg_sdp_stream *st, char *buf, size_t len)
{
	const struct vg_suite_info *si = vg_suite_get(st->suite);
	/* "inline:" and the base64 of the longest key || salt */
	char key[sizeof("inline:") + (VG_MASTER_MAX + 2) / 3 * 4];
	int n;

	if (st->plain)
		return snprintf(buf, len, "%s", "");
	if (si == NULL || st->key.len != si->key_len + si->salt_len)
		return -EINVAL;
	n = vg_sdes_format(&st->key, key, sizeof(key)) != 0 ? -EINVAL :
		snprintf(buf, len, "a=crypto:1 %s %s\r\n", si->name, key);
	explicit_bzero(key, sizeof(key));
	return n >= 0 && (size_t)n >= len ? -ENOSPC : n;
}

/* No a=ssrc line: RFC 5576 requires its cname to be the one the sender
 * puts in RTCP, which is the camera's and unknown here. */
int
vg_sdp_format(const struct vg_sdp_stream *st, char *buf, size_t len)
{
	char addr[INET_ADDRSTRLEN], video[96], rtcp[32];
	/* the longest suite name and "inline:" key, with the line's words */
	char crypto[160];
	struct in_addr a = { .s_addr = st->addr };
	int n;

	if (st->payload_type > 127 ||
	    format_video(st, video, sizeof(video)) < 0 ||
	    format_crypto(st, crypto, sizeof(crypto)) < 0)
		return -EINVAL;
	format_rtcp(st, rtcp, sizeof(rtcp));
	inet_ntop(AF_INET, &a, addr, sizeof(addr));
	n = snprintf(buf, len,
		     "v=0\r\n"
		     "o=- %u 1 IN IP4 %s\r\n"
		     "s=vigie %s\r\n"
		     "c=IN IP4 %s\r\n"
		     "t=0 0\r\n"
		     "m=video %u %s %u\r\n"
		     "%s%s%s"
		     "a=recvonly\r\n",
		     st->ssrc, addr, st->name, addr, st->port,
		     st->plain ? "RTP/AVP" : "RTP/SAVP", st->payload_type,
		     video, rtcp, crypto);
	explicit_bzero(crypto, sizeof(crypto));
	if (n < 0 || (size_t)n >= len) {
		if (len)
			explicit_bzero(buf, len);
		return -ENOSPC;
	}
	return n;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Text into an open temporary file, made 0600 (a key inside) or 0644 (the
 * VMS leg: nothing secret, and the VMS may run as another user) whatever
 * the umask did. */
static int
fill(int fd, const struct vg_sdp_stream *st)
{
	char text[VG_SDP_TEXT_MAX];
	int n = vg_sdp_format(st, text, sizeof(text)), rc;

	if (n < 0)
		return n;
	rc = fchmod(fd, st->plain ? 0644 : 0600) != 0 ? -errno :
		write_all(fd, text, (size_t)n);
	explicit_bzero(text, sizeof(text));
	if (rc == 0 && fsync(fd) != 0)
		rc = -errno;
	return rc;
}

int
vg_sdp_write(const char *dir, const struct vg_sdp_stream *st,
	     char *err, size_t errlen)
{
	char path[4096], tmp[4096 + 16];
	int fd, rc;

	if (strchr(st->name, '/') != NULL || st->name[0] == '\0' ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s.sdp", dir, st->name) >=
	    sizeof(path)) {
		snprintf(err, errlen, "%s/%s.sdp: not a usable file name", dir,
			 st->name);
		return -EINVAL;
	}
	snprintf(tmp, sizeof(tmp), "%s/.%s.sdp.XXXXXX", dir, st->name);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: cannot create a file in %s: %s",
			 path, dir, strerror(-rc));
		return rc;
	}
	rc = fill(fd, st);
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc == 0)
		return 0;
	unlink(tmp);
	if (rc == -EINVAL)
		snprintf(err, errlen, "%s: stream %s cannot be described "
			 "(codec %s, suite or key length)", path, st->name,
			 st->codec);
	else
		snprintf(err, errlen, "%s: cannot write: %s", path,
			 strerror(-rc));
	return rc;
}

int
vg_sdp_check_dir(const char *dir, unsigned *others_mode,
		 char *err, size_t errlen)
{
	struct stat sb;

	*others_mode = 0;
	if (stat(dir, &sb) != 0) {
		int rc = -errno;

		if (rc == -ENOENT)
			snprintf(err, errlen, "%s: no such directory (create "
				 "it first: mkdir -m 700 %s)", dir, dir);
		else
			snprintf(err, errlen, "%s: %s", dir, strerror(-rc));
		return rc;
	}
	if (!S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a directory", dir);
		return -ENOTDIR;
	}
	/* access() asks the kernel, which knows about read-only mounts,
	 * ACLs and root; the mode bits alone do not. */
	if (access(dir, W_OK | X_OK) != 0) {
		int rc = -errno;

		snprintf(err, errlen, "%s: cannot create files in it (uid %u): "
			 "%s", dir, (unsigned)geteuid(), strerror(-rc));
		return rc;
	}
	*others_mode = sb.st_mode & S_IRWXO;
	return 0;
}

void
vg_sdp_wipe(struct vg_sdp_stream *st, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		vg_key_wipe(&st[i].key);
}
