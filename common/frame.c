/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	frame - encode and decode corral frames
 * DESCRIPTION
 *	frame_hdr_pack and frame_hdr_unpack convert between struct frame_hdr
 *	and the 20-byte wire header (layout in frame.h). Unpacking checks
 *	magic, version, flags, the reserved byte and the length limit before
 *	anything is allocated, so a hostile length can never make a reader
 *	allocate more than FRAME_HDR_LEN + FRAME_MAX bytes. frame_decode
 *	checks one whole frame in a buffer and points the frame at its
 *	payload without copying.
 * DIAGNOSTICS
 *	Negative FRAME_E* codes; frame_strerror names them.
 */
#include <string.h>

#include "frame.h"

/* frame_put16 - little-endian store */
static void
frame_put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v & 0xff);
	p[1] = (unsigned char)(v >> 8);
}

/* frame_put32 - little-endian store */
static void
frame_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v & 0xff);
	p[1] = (unsigned char)((v >> 8) & 0xff);
	p[2] = (unsigned char)((v >> 16) & 0xff);
	p[3] = (unsigned char)(v >> 24);
}

/* frame_get16 - little-endian load */
static uint16_t
frame_get16(const unsigned char *p)
{
	return ((uint16_t)(p[0] | (p[1] << 8)));
}

/* frame_get32 - little-endian load */
static uint32_t
frame_get32(const unsigned char *p)
{
	return ((uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	    ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24));
}

/* frame_hdr_pack - write h into out[FRAME_HDR_LEN], magic and version included */
void
frame_hdr_pack(const struct frame_hdr *h, unsigned char *out)
{
	out[0] = FRAME_MAGIC;
	out[1] = CORRAL_PROTO_VERSION;
	frame_put16(out + 2, h->type);
	out[4] = h->flags;
	out[5] = h->src;
	out[6] = h->dst;
	out[7] = 0;
	frame_put32(out + 8, h->len);
	frame_put32(out + 12, h->id);
	frame_put32(out + 16, h->gen);
}

/* frame_hdr_unpack - read and check a header; FRAME_OK or a FRAME_E* code */
int
frame_hdr_unpack(const unsigned char *buf, size_t avail, struct frame_hdr *h)
{
	/* Check what has arrived as early as possible: a stream of garbage
	 * is refused at its first byte, not after 20. */
	if (avail >= 1 && buf[0] != FRAME_MAGIC)
		return (FRAME_EMAGIC);
	if (avail >= 2 && buf[1] != CORRAL_PROTO_VERSION)
		return (FRAME_EVERSION);
	if (avail < FRAME_HDR_LEN)
		return (FRAME_ESHORT);
	memset(h, 0, sizeof(*h));
	h->version = buf[1];
	h->type = frame_get16(buf + 2);
	h->flags = buf[4];
	h->src = buf[5];
	h->dst = buf[6];
	h->len = frame_get32(buf + 8);
	h->id = frame_get32(buf + 12);
	h->gen = frame_get32(buf + 16);
	if (buf[7] != 0)
		return (FRAME_ERESERVED);
	if ((h->flags & ~FRAME_F_ALL) != 0)
		return (FRAME_EFLAGS);
	if (h->len > FRAME_MAX)
		return (FRAME_ETOOBIG);
	return (FRAME_OK);
}

/* frame_decode - one whole frame at buf: bytes used (>0), 0 if short, <0 error */
long
frame_decode(const unsigned char *buf, size_t avail, struct frame *f)
{
	int	rc;

	rc = frame_hdr_unpack(buf, avail, &f->hdr);
	if (rc == FRAME_ESHORT)
		return (0);
	if (rc != FRAME_OK)
		return (rc);
	if (avail < FRAME_HDR_LEN + (size_t)f->hdr.len)
		return (0);
	f->payload = buf + FRAME_HDR_LEN;
	f->fd = -1;
	return ((long)(FRAME_HDR_LEN + f->hdr.len));
}

/* frame_strerror - text for a FRAME_E* code */
const char *
frame_strerror(int err)
{
	switch (err) {
	case FRAME_OK:
		return ("no error");
	case FRAME_ESHORT:
		return ("truncated frame");
	case FRAME_EMAGIC:
		return ("bad magic");
	case FRAME_EVERSION:
		return ("protocol version mismatch");
	case FRAME_ETOOBIG:
		return ("frame over the size limit");
	case FRAME_EFLAGS:
		return ("unknown flags");
	case FRAME_ERESERVED:
		return ("reserved byte set");
	default:
		return ("unknown frame error");
	}
}

/* frame_json - parse the payload as one JSON object; NULL if it is not */
cJSON *
frame_json(const struct frame *f)
{
	cJSON		*root;
	const char	*end = NULL;

	if (f->hdr.len == 0)
		return (NULL);
	root = cJSON_ParseWithLengthOpts((const char *)f->payload, f->hdr.len,
	    &end, 0);
	if (root == NULL)
		return (NULL);
	/* The whole payload must be the object (trailing NULs excepted). */
	while (end < (const char *)f->payload + f->hdr.len && *end == '\0')
		end++;
	if (!cJSON_IsObject(root) ||
	    end != (const char *)f->payload + f->hdr.len) {
		cJSON_Delete(root);
		return (NULL);
	}
	return (root);
}

/* frame_take_fd - take ownership of the frame's descriptor (-1 if none) */
int
frame_take_fd(struct frame *f)
{
	int	fd = f->fd;

	f->fd = -1;
	return (fd);
}
