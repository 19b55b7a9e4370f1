/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	frame.h - the corral frame codec
 * SYNOPSIS
 *	#include "frame.h"
 *
 *	void	frame_hdr_pack(const struct frame_hdr *h, unsigned char *out);
 *	int	frame_hdr_unpack(const unsigned char *buf, size_t avail,
 *		    struct frame_hdr *h);
 *	long	frame_decode(const unsigned char *buf, size_t avail,
 *		    struct frame *f);
 *	const char *frame_strerror(int err);
 *	cJSON	*frame_json(const struct frame *f);
 * DESCRIPTION
 *	A frame is a fixed 20-byte header followed by len payload bytes. The
 *	header is packed little-endian with explicit offsets, never as a C
 *	struct, so its layout does not depend on the compiler:
 *
 *	  0 magic (u8, 0xC5)   1 version (u8)   2 type (u16)   4 flags (u8)
 *	  5 src (u8)           6 dst (u8)       7 reserved, 0  8 len (u32)
 *	 12 id (u32)          16 gen (u32)
 *
 *	len counts payload bytes only and never exceeds FRAME_MAX. A frame
 *	with FRAME_F_FD carries one descriptor (SCM_RIGHTS) sent with its
 *	first byte.
 * DIAGNOSTICS
 *	Decoders return a negative FRAME_E* code; the channel closes on any.
 */
#ifndef CORRAL_FRAME_H
#define CORRAL_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define FRAME_MAGIC		0xC5
#define CORRAL_PROTO_VERSION	1
#define FRAME_HDR_LEN		20
#define FRAME_MAX		(1024 * 1024)	/* payload bytes */

#define FRAME_F_REPLY		0x01	/* answers the request with this id */
#define FRAME_F_FD		0x02	/* one descriptor travels with it */
#define FRAME_F_ALL		(FRAME_F_REPLY | FRAME_F_FD)

enum frame_err {
	FRAME_OK = 0,
	FRAME_ESHORT = -1,	/* not enough bytes yet (not an error on a stream) */
	FRAME_EMAGIC = -2,
	FRAME_EVERSION = -3,
	FRAME_ETOOBIG = -4,
	FRAME_EFLAGS = -5,
	FRAME_ERESERVED = -6
};

struct frame_hdr {
	uint16_t	type;	/* enum msg_type */
	uint8_t		version;/* CORRAL_PROTO_VERSION */
	uint8_t		flags;	/* FRAME_F_* */
	uint8_t		src;	/* sender; the master overwrites it */
	uint8_t		dst;	/* receiver; the master routes on it */
	uint32_t	len;	/* payload bytes */
	uint32_t	id;	/* request id, 0 if unsolicited */
	uint32_t	gen;	/* sender's generation */
};

struct frame {
	struct frame_hdr	 hdr;
	const unsigned char	*payload;	/* lent: valid until the handler returns */
	int			 fd;		/* -1, or a descriptor the handler may take */
};

/* frame_hdr_pack - write h into out[FRAME_HDR_LEN], magic and version included */
void		 frame_hdr_pack(const struct frame_hdr *h, unsigned char *out);

/* frame_hdr_unpack - read and check a header; FRAME_OK or a FRAME_E* code */
int		 frame_hdr_unpack(const unsigned char *buf, size_t avail,
		    struct frame_hdr *h);

/* frame_decode - one whole frame at buf: bytes used (>0), 0 if short, <0 error */
long		 frame_decode(const unsigned char *buf, size_t avail,
		    struct frame *f);

/* frame_strerror - text for a FRAME_E* code */
const char	*frame_strerror(int err);

/* frame_json - parse the payload as one JSON object; NULL if it is not */
cJSON		*frame_json(const struct frame *f);

/* frame_take_fd - take ownership of the frame's descriptor (-1 if none) */
int		 frame_take_fd(struct frame *f);

#endif
