/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	msg.h - message types of the corral framed protocol
 * DESCRIPTION
 *	Types come in blocks: 0-99 control, 100s lifecycle, 200s secrets,
 *	300s mcp, 400s engines, 500s gpu, 600s skills. Never renumber a type
 *	and bump CORRAL_PROTO_VERSION (frame.h) whenever a payload changes.
 *	Payloads are JSON objects (cJSON) unless a type says otherwise; a
 *	reply carries FRAME_F_REPLY and the request's id. docs/protocol.md
 *	documents each payload.
 */
#ifndef CORRAL_MSG_H
#define CORRAL_MSG_H

enum msg_type {
	/* control */
	MSG_ERROR = 1,		/* reply: {"code":"...","message":"..."} */
	MSG_PING = 2,		/* any payload; answered by MSG_PONG echoing it */
	MSG_PONG = 3,

	/* lifecycle: master <-> worker */
	MSG_CONFIG = 100,	/* master->worker, first frame: the config */
	MSG_READY = 101,	/* worker->master: sandboxed and serving */
	MSG_SHUTDOWN = 102,	/* master->worker: drain and exit 0 */
	MSG_RELOAD = 103,	/* master->worker: new config (as MSG_CONFIG) */
	MSG_DRAIN = 104,	/* master->worker: shutdown has begun, refuse new work */

	/* master services, asked for by workers (dst = PROC_MASTER) */
	MSG_STATUS = 110,	/* {} -> {"draining":b,"ready":b,"workers":[...]} */
	MSG_RESTART = 111,	/* {"name":"http"} -> {"name","state","pid"} */

	/* secrets worker (dst = PROC_SECRETS); see docs/protocol.md */
	MSG_SECRET_LIST = 200,	/* {} -> {"store":{...},"secrets":[...]} */
	MSG_SECRET_PUT = 201,	/* {"name","provider","value"} -> entry */
	MSG_SECRET_DELETE = 202,/* {"name"} -> {"name","deleted":true} */
	MSG_SECRET_GET = 203,	/* {"name"} -> {"name","provider","value"} */
	MSG_ROUTES_LIST = 204,	/* {} -> {"routes":[...]} */

	/* mcp worker (dst = PROC_MCP); see docs/protocol.md, docs/mcp.md */
	MSG_MCP_LIST = 300,	/* {} -> {"servers":[server,...]} */
	MSG_MCP_TOOLS = 301,	/* {"name"} -> {"server","tools":[...]} */
	MSG_MCP_CALL = 302,	/* {"server","tool","arguments","timeout_s"}
				 * -> {"server","tool","result","duration_ms"} */

	/* engines worker (dst = PROC_ENGINES); see docs/protocol.md */
	MSG_ENGINE_LIST = 400,	/* {} -> {"docker":{...},"engines":[...]} */
	MSG_ENGINE_GET = 401,	/* {"name"} -> engine */
	MSG_ENGINE_LAUNCH = 402,/* launch request -> engine (202) */
	MSG_ENGINE_DELETE = 403,/* {"name","timeout_s"} -> {"name","deleted"} */
	MSG_ENGINE_LOGS = 404,	/* {"name","tail","follow"} -> text, or fd */

	/* gpu worker (dst = PROC_GPU); see docs/protocol.md */
	MSG_GPU_SAMPLE = 500,	/* {} -> the latest sample: gpus, host, procs */
	MSG_GPU_HISTORY = 501,	/* {"window_s":N} -> {"interval_s","samples"} */

	/* skills worker (dst = PROC_SKILLS); see docs/protocol.md,
	 * docs/skills.md */
	MSG_SKILL_LIST = 600,	/* {} -> {"skills":[skill,...]} */
	MSG_SKILL_GET = 601,	/* {"name"} -> skill with "prompt" */
	MSG_AGENT_LIST = 602,	/* {} -> {"agents":[agent,...]} */
	MSG_RUN_SUBMIT = 603,	/* {"skill","agent","route","input",
				 * "timeout_s"} -> run (queued) */
	MSG_RUN_LIST = 604,	/* {"state","skill","limit"} -> {"runs",
				 * "counts"} */
	MSG_RUN_GET = 605,	/* {"id"} -> run with "input" */
	MSG_RUN_LOGS = 606,	/* {"id","tail"} -> {"id","text","truncated"} */
	MSG_RUN_CANCEL = 607	/* {"id"} -> run */
};

/* msg_type_name - printable name of a type, "unknown" otherwise */
const char	*msg_type_name(int type);

#endif
