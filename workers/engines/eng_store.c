/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_store - engine records and the instance id, under state_root
 * SYNOPSIS
 *	#include "eng_store.h"
 * DESCRIPTION
 *	See eng_store.h. Times are stored as seconds since the epoch.
 * DIAGNOSTICS
 *	Failures are logged with the path.
 */
#include <sys/random.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"
#include "xmalloc.h"

#include "eng_engine.h"
#include "eng_store.h"
#include "eng_worker.h"

#define ENG_STORE_MAX	(256 * 1024)
#define ENG_STORE_SUFFIX ".json"

/* eng_store_instance - read dir/instance, or make it; 0 or -1 */
int
eng_store_instance(const char *dir, char *out, size_t outlen)
{
	unsigned char	 raw[ENG_INSTANCE_LEN / 2];
	char		*path, *buf = NULL;
	size_t		 len, i;

	xasprintf(&path, "%s/instance", dir);
	if (fs_read_file(path, 64, &buf, &len) == 0 &&
	    len >= ENG_INSTANCE_LEN && strspn(buf, "0123456789abcdef") >=
	    ENG_INSTANCE_LEN && outlen > ENG_INSTANCE_LEN) {
		memcpy(out, buf, ENG_INSTANCE_LEN);
		out[ENG_INSTANCE_LEN] = '\0';
		free(buf);
		free(path);
		return (0);
	}
	free(buf);
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw) ||
	    outlen <= ENG_INSTANCE_LEN) {
		log_warn("%s: no random bytes", path);
		free(path);
		return (-1);
	}
	for (i = 0; i < sizeof(raw); i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	if (fs_write_atomic(path, out, ENG_INSTANCE_LEN, 0600) == -1) {
		log_warn("%s", path);
		free(path);
		return (-1);
	}
	free(path);
	return (0);
}

/* eng_store_path - the record's path for name */
static char *
eng_store_path(const struct eng_worker *w, const char *name)
{
	char	*path;

	xasprintf(&path, "%s/%s" ENG_STORE_SUFFIX, w->dir, name);
	return (path);
}

/* eng_store_save - write e's record */
void
eng_store_save(struct eng *e)
{
	cJSON	*o;
	char	*path, *s;

	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "spec", eng_spec_json(&e->spec));
	cJSON_AddStringToObject(o, "state", eng_state_name(e->state));
	cJSON_AddStringToObject(o, "container_id", e->container_id);
	cJSON_AddNumberToObject(o, "created", (double)e->created);
	cJSON_AddNumberToObject(o, "started", (double)e->started);
	cJSON_AddNumberToObject(o, "ready_at", (double)e->ready_at);
	if (e->last_error != NULL)
		cJSON_AddStringToObject(o, "last_error", e->last_error);
	cJSON_AddNumberToObject(o, "exit_code", e->exit_code);
	if (e->logs != NULL)
		cJSON_AddItemToObject(o, "logs", cJSON_Duplicate(e->logs, 1));
	cJSON_AddBoolToObject(o, "adopted", e->adopted);
	s = cJSON_Print(o);
	cJSON_Delete(o);
	path = eng_store_path(e->w, e->spec.name);
	if (s == NULL || fs_write_atomic(path, s, strlen(s), 0600) == -1)
		log_warn("engine %s: cannot write %s", e->spec.name, path);
	cJSON_free(s);
	free(path);
}

/* eng_store_remove - forget e's record */
void
eng_store_remove(struct eng *e)
{
	char	*path = eng_store_path(e->w, e->spec.name);

	if (unlink(path) == -1 && errno != ENOENT)
		log_warn("engine %s: cannot remove %s", e->spec.name, path);
	free(path);
}

/* eng_store_num - a number member, 0 if absent */
static double
eng_store_num(const cJSON *o, const char *key)
{
	const cJSON	*n = cJSON_GetObjectItemCaseSensitive(o, key);

	return (cJSON_IsNumber(n) ? n->valuedouble : 0);
}

/* eng_store_read - one record into an engine; NULL if it does not parse */
static struct eng *
eng_store_read(struct eng_worker *w, const char *path)
{
	struct eng_spec	 spec;
	struct eng	*e;
	const cJSON	*st, *id, *err, *logs;
	cJSON		*o;
	char		*buf;
	size_t		 len;
	int		 state;

	if (fs_read_file(path, ENG_STORE_MAX, &buf, &len) == -1)
		return (NULL);
	o = cJSON_Parse(buf);
	free(buf);
	memset(&spec, 0, sizeof(spec));
	if (o == NULL || eng_spec_from_json(cJSON_GetObjectItemCaseSensitive(o,
	    "spec"), &spec) == -1) {
		cJSON_Delete(o);
		eng_spec_free(&spec);
		return (NULL);
	}
	st = cJSON_GetObjectItemCaseSensitive(o, "state");
	state = eng_state_parse(cJSON_IsString(st) ? st->valuestring : NULL);
	e = eng_new(w, &spec);
	e->state = state >= 0 ? (enum eng_state)state : ENG_FAILED;
	id = cJSON_GetObjectItemCaseSensitive(o, "container_id");
	if (cJSON_IsString(id) && strlen(id->valuestring) <
	    sizeof(e->container_id))
		snprintf(e->container_id, sizeof(e->container_id), "%s",
		    id->valuestring);
	e->created = (time_t)eng_store_num(o, "created");
	e->started = (time_t)eng_store_num(o, "started");
	e->ready_at = (time_t)eng_store_num(o, "ready_at");
	e->exit_code = (int)eng_store_num(o, "exit_code");
	if (cJSON_IsString(err = cJSON_GetObjectItemCaseSensitive(o,
	    "last_error")))
		e->last_error = xstrdup(err->valuestring);
	if (cJSON_IsArray(logs = cJSON_GetObjectItemCaseSensitive(o, "logs")))
		e->logs = cJSON_Duplicate(logs, 1);
	e->adopted = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o,
	    "adopted"));
	cJSON_Delete(o);
	return (e);
}

/* eng_store_load - every record into w->engines; 0 or -1 */
int
eng_store_load(struct eng_worker *w)
{
	DIR		*d;
	struct dirent	*de;
	struct eng	*e;
	char		*path;
	size_t		 n, sl = strlen(ENG_STORE_SUFFIX);

	if ((d = opendir(w->dir)) == NULL) {
		log_warn("%s", w->dir);
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		/* temp files (NAME.json.tmp.PID.RND) do not end in .json */
		if (n <= sl || strcmp(de->d_name + n - sl, ENG_STORE_SUFFIX) ||
		    de->d_name[0] == '.')
			continue;
		xasprintf(&path, "%s/%s", w->dir, de->d_name);
		if ((e = eng_store_read(w, path)) == NULL)
			log_warnx("%s: not an engine record; left alone", path);
		else if (eng_worker_find(w, e->spec.name) != NULL)
			eng_free(e);
		else
			eng_worker_add(w, e);
		free(path);
	}
	closedir(d);
	return (0);
}
