/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_skill_queue - the skills worker's policy, sandbox and spawn
 *	(workers/skills/skill_queue.c, skill_sandbox.c, skill_spawn.c,
 *	skill_submit.c's prompt)
 * SYNOPSIS
 *	Suite	*skill_queue_suite(void);
 * DESCRIPTION
 *	The pick-next policy without processes: order by seq whatever the
 *	order of insertion, the global limit, a skill's own limit passed
 *	over without holding up the runs behind, a skill gone from the
 *	registry keeping the limit stored with its run, the counts per
 *	skill and per agent, find and remove.
 *
 *	The sandbox for real: a forked child under the Landlock ruleset
 *	cannot create or write a file outside its folders but can inside
 *	and can still read outside; without Landlock (ABI 0) nothing is
 *	restricted. The spawn for real: a fake codex (a shell script)
 *	records its argv, environment, working directory, umask, limits
 *	and open descriptors in its log and tries to write in each place;
 *	an executable that cannot run is reported on the exec-error pipe.
 *
 *	The "outside" folder is made in the current directory (the top of
 *	the tree), since /tmp is one of the places an agent may write.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "fsutil.h"

#include "skill_agent.h"
#include "skill_queue.h"
#include "skill_sandbox.h"
#include "skill_spawn.h"
#include "skill_worker.h"

Suite	*skill_queue_suite(void);

static struct skill_queue	q;

/* add - queue a run of skill with seq and its stored max_running */
static void
add(const char *id, const char *skill, int64_t seq, int max_running)
{
	skill_queue_add(&q, skill_qrun_new(id, skill, SKILL_AGENT_CODEX, seq,
	    60, max_running));
}

/* pick_id - the id skill_queue_pick gives, or "-" */
static const char *
pick_id(int max_running, skill_queue_limit_fn *limit, void *arg)
{
	struct skill_qrun	*qr;

	qr = skill_queue_pick(&q, max_running, limit, arg);
	return (qr != NULL ? qr->id : "-");
}

/* start - pick (must be want), take it out of the queue, count it in */
static void
start(const char *want, int max_running, skill_queue_limit_fn *limit,
    void *arg)
{
	struct skill_qrun	*qr;

	qr = skill_queue_pick(&q, max_running, limit, arg);
	ck_assert_msg(qr != NULL, "got no run, want %s", want);
	ck_assert_msg(strcmp(qr->id, want) == 0, "got %s, want %s", qr->id,
	    want);
	skill_queue_remove(&q, qr);
	skill_queue_started(&q, qr->skill, qr->agent);
	skill_qrun_free(qr);
}

/* limit_a1 - the registry now: "a" at most 1, "b" no limit, others gone */
static int
limit_a1(const char *skill, void *arg)
{
	(void)arg;
	if (strcmp(skill, "a") == 0)
		return (1);
	if (strcmp(skill, "b") == 0)
		return (0);
	return (-1);
}

/* q_setup - an empty queue */
static void
q_setup(void)
{
	skill_queue_init(&q);
}

/* q_teardown - free what the test left */
static void
q_teardown(void)
{
	skill_queue_clear(&q);
}

START_TEST(test_order)
{
	ck_assert_str_eq(pick_id(4, NULL, NULL), "-");
	add("r3", "x", 3, 0);
	add("r1", "y", 1, 0);
	add("r4", "z", 4, 0);
	add("r2", "x", 2, 0);
	ck_assert_uint_eq(q.nqueued, 4);
	start("r1", 4, NULL, NULL);
	start("r2", 4, NULL, NULL);
	start("r3", 4, NULL, NULL);
	start("r4", 4, NULL, NULL);
	ck_assert_str_eq(pick_id(4, NULL, NULL), "-");
	ck_assert_uint_eq(q.nqueued, 0);
	ck_assert_int_eq(q.nrunning, 4);
}
END_TEST

START_TEST(test_global_limit)
{
	add("r1", "x", 1, 0);
	add("r2", "y", 2, 0);
	add("r3", "z", 3, 0);
	start("r1", 2, NULL, NULL);
	start("r2", 2, NULL, NULL);
	ck_assert_str_eq(pick_id(2, NULL, NULL), "-");
	skill_queue_ended(&q, "x", SKILL_AGENT_CODEX);
	start("r3", 2, NULL, NULL);
	ck_assert_int_eq(q.nrunning, 2);
}
END_TEST

START_TEST(test_skill_limit_pass_over)
{
	add("a1", "a", 1, 0);
	add("a2", "a", 2, 0);
	add("a3", "a", 3, 0);
	add("b1", "b", 4, 0);
	add("a4", "a", 5, 0);
	add("b2", "b", 6, 0);
	start("a1", 10, limit_a1, NULL);
	/* a is at its limit: its runs are passed over, b's start */
	start("b1", 10, limit_a1, NULL);
	start("b2", 10, limit_a1, NULL);
	ck_assert_str_eq(pick_id(10, limit_a1, NULL), "-");
	ck_assert_int_eq(skill_queue_running(&q, "a"), 1);
	ck_assert_int_eq(skill_queue_running(&q, "b"), 2);
	/* a's run ends: the oldest of a's waiting runs is next */
	skill_queue_ended(&q, "a", SKILL_AGENT_CODEX);
	ck_assert_int_eq(skill_queue_running(&q, "a"), 0);
	start("a2", 10, limit_a1, NULL);
	ck_assert_str_eq(pick_id(10, limit_a1, NULL), "-");
	/* the global limit holds before any skill's */
	skill_queue_ended(&q, "a", SKILL_AGENT_CODEX);
	ck_assert_str_eq(pick_id(2, limit_a1, NULL), "-");
	ck_assert_str_eq(pick_id(3, limit_a1, NULL), "a3");
}
END_TEST

START_TEST(test_gone_skill)
{
	/* "g" is no longer in the registry: its stored max_running (2)
	 * counts; "b" is, with no limit: its stored 1 does not count */
	add("g1", "g", 1, 2);
	add("g2", "g", 2, 2);
	add("g3", "g", 3, 2);
	add("b1", "b", 4, 1);
	add("b2", "b", 5, 1);
	start("g1", 10, limit_a1, NULL);
	start("g2", 10, limit_a1, NULL);
	start("b1", 10, limit_a1, NULL);
	start("b2", 10, limit_a1, NULL);
	ck_assert_str_eq(pick_id(10, limit_a1, NULL), "-");
	/* without a registry only the stored values count */
	ck_assert_str_eq(pick_id(10, NULL, NULL), "-");
	skill_queue_ended(&q, "g", SKILL_AGENT_CODEX);
	start("g3", 10, NULL, NULL);
}
END_TEST

START_TEST(test_counts)
{
	struct skill_qrun	*qr;

	skill_queue_started(&q, "a", SKILL_AGENT_CLAUDE);
	skill_queue_started(&q, "a", SKILL_AGENT_CODEX);
	skill_queue_started(&q, "b", SKILL_AGENT_CLAUDE);
	ck_assert_int_eq(q.nrunning, 3);
	ck_assert_int_eq(q.by_agent[SKILL_AGENT_CLAUDE], 2);
	ck_assert_int_eq(q.by_agent[SKILL_AGENT_CODEX], 1);
	ck_assert_int_eq(q.by_agent[SKILL_AGENT_GEMINI], 0);
	ck_assert_uint_eq(q.nskills, 2);
	skill_queue_ended(&q, "a", SKILL_AGENT_CLAUDE);
	skill_queue_ended(&q, "a", SKILL_AGENT_CODEX);
	ck_assert_uint_eq(q.nskills, 1);
	ck_assert_int_eq(skill_queue_running(&q, "a"), 0);
	ck_assert_int_eq(skill_queue_running(&q, "b"), 1);
	ck_assert_int_eq(q.by_agent[SKILL_AGENT_CLAUDE], 1);
	ck_assert_int_eq(q.by_agent[SKILL_AGENT_CODEX], 0);
	add("r1", "x", 1, 0);
	add("r2", "x", 2, 0);
	ck_assert_ptr_null(skill_queue_find(&q, "r9"));
	ck_assert_ptr_nonnull(qr = skill_queue_find(&q, "r1"));
	skill_queue_remove(&q, qr);
	skill_qrun_free(qr);
	ck_assert_uint_eq(q.nqueued, 1);
	ck_assert_str_eq(pick_id(4, NULL, NULL), "r2");
}
END_TEST

START_TEST(test_ended_unstarted)
{
	skill_queue_ended(&q, "never", SKILL_AGENT_CODEX);
}
END_TEST

/* test_prompt - the prompt file, an empty line, the input */
START_TEST(test_prompt)
{
	char	*p;

	p = skill_submit_prompt("Say hi.\n", "{\"a\":1}");
	ck_assert_str_eq(p, "Say hi.\n\nInput (JSON):\n{\"a\":1}");
	free(p);
	p = skill_submit_prompt("Say hi.", "{}");
	ck_assert_str_eq(p, "Say hi.\n\nInput (JSON):\n{}");
	free(p);
	/* front matter: never an option to the agent CLI */
	p = skill_submit_prompt("---\nname: x\n---\nSay hi.\n", "{}");
	ck_assert_str_eq(p, "\n---\nname: x\n---\nSay hi.\n\nInput (JSON):\n{}");
	free(p);
	p = skill_submit_prompt("", "{}");
	ck_assert_str_eq(p, "\n\nInput (JSON):\n{}");
	free(p);
}
END_TEST

/* places for the sandbox and spawn tests */
static char	tmp[64];	/* in /tmp: run dir, home */
static char	out[PATH_MAX];	/* outside every allowed place */

/* fs_setup - a folder in /tmp and one outside: in /var/tmp, not the
 * current folder, which may itself be under /tmp (a CI checkout) */
static void
fs_setup(void)
{
	char	name[64];

	snprintf(tmp, sizeof(tmp), "/tmp/check-skill.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(name, sizeof(name), "/var/tmp/check-skill-out.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(name));
	ck_assert_ptr_nonnull(realpath(name, out));
}

/* fs_teardown - remove both */
static void
fs_teardown(void)
{
	char	cmd[PATH_MAX + 128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", tmp, out);
	ck_assert_int_eq(system(cmd), 0);
}

/* try_create - in the child: 0 if path could be created, else errno */
static int
try_create(const char *path)
{
	int	fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1)
		return (errno);
	close(fd);
	return (0);
}

/* sandboxed - fork, apply abi with dirs, run checks; the exit status */
static int
sandboxed(int abi, const char *in)
{
	const char	*dirs[] = { in, "/dev", NULL };
	char		 path[PATH_MAX + 32], err[256];
	int		 status, fd;
	pid_t		 pid;

	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		if (skill_sandbox_apply(abi, dirs, err, sizeof(err)) == -1)
			_exit(10);
		snprintf(path, sizeof(path), "%s/made", in);
		if (try_create(path) != 0)
			_exit(11);	/* inside: must work */
		if ((fd = open("/dev/null", O_WRONLY)) == -1)
			_exit(12);
		close(fd);
		snprintf(path, sizeof(path), "%s/existing", out);
		if ((fd = open(path, O_RDONLY)) == -1)
			_exit(13);	/* reading outside: must work */
		close(fd);
		snprintf(path, sizeof(path), "%s/made", out);
		if (abi > 0 && try_create(path) != EACCES)
			_exit(14);	/* outside: must be refused */
		if (abi == 0 && try_create(path) != 0)
			_exit(15);	/* basic: nothing refused */
		snprintf(path, sizeof(path), "%s/existing", out);
		if (abi > 0 && open(path, O_WRONLY | O_APPEND) != -1)
			_exit(16);
		if (abi > 0 && mkdir(path, 0700) != -1)
			_exit(17);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return (WEXITSTATUS(status));
}

START_TEST(test_sandbox)
{
	char	in[128], path[PATH_MAX + 32];
	int	abi = skill_sandbox_probe();

	snprintf(in, sizeof(in), "%s/in", tmp);
	ck_assert_int_eq(mkdir(in, 0700), 0);
	snprintf(path, sizeof(path), "%s/existing", out);
	ck_assert_int_eq(fs_write_atomic(path, "x", 1, 0600), 0);
	if (abi == 0)
		fprintf(stderr, "check_skill_queue: no Landlock here (the "
		    "kernel, or valgrind): only the basic sandbox is tested\n");
	else {
		ck_assert_str_eq(skill_sandbox_name(abi), "landlock");
		ck_assert_int_eq(sandboxed(abi, in), 0);
		snprintf(path, sizeof(path), "%s/made", out);
		ck_assert_int_eq(access(path, F_OK), -1);
		snprintf(path, sizeof(path), "%s/made", in);
		ck_assert_int_eq(unlink(path), 0);
	}
	ck_assert_str_eq(skill_sandbox_name(0), "basic");
	ck_assert_int_eq(sandboxed(0, in), 0);
}
END_TEST

/* the fake agent: what it got, and where it may write */
static const char fake_codex[] =
    "#!/bin/sh\n"
    "echo \"argc=$#\"\n"
    "for a in \"$@\"; do echo \"arg=$a\"; last=$a; done\n"
    "env | sort | sed 's/^/env=/'\n"
    "echo \"pwd=$(pwd)\"\n"
    "echo \"umask=$(umask)\"\n"
    "echo \"nofile=$(ulimit -n)\"\n"
    "echo \"core=$(ulimit -c)\"\n"
    "for n in 3 4 5 6 7 8 9; do\n"
    "  [ -e /proc/$$/fd/$n ] && echo \"open=$n\"\n"
    "done\n"
    "read line && echo \"stdin=$line\"\n"
    "echo made > input.copy && echo write_rundir=ok\n"
    "echo made > \"$HOME/h\" && echo write_home=ok\n"
    "echo made > \"$TMPDIR/t\" && echo write_tmpdir=ok\n"
    "echo made > \"$last.out\" 2>/dev/null || echo write_outside=refused\n"
    "echo to-stderr >&2\n"
    "exit 3\n";

/* spawn_fake - spawn the fake codex (exe) as run r1; its exit status */
static int
spawn_fake(const char *exe, char *log, size_t loglen, char *why,
    size_t whylen)
{
	struct skill_spawn_req	 rq;
	char			 rundir[128], home[128], outside[PATH_MAX + 16];
	int			 status, xfd, keep;
	pid_t			 pid;

	snprintf(rundir, sizeof(rundir), "%s/runs/r1", tmp);
	snprintf(home, sizeof(home), "%s/agents/codex", tmp);
	snprintf(log, loglen, "%s/r1.log", tmp);
	snprintf(outside, sizeof(outside), "%s/x", out);
	ck_assert_int_eq(fs_mkdirs(rundir, 0700), 0);
	ck_assert_int_eq(rmdir(rundir), 0);	/* skill_spawn makes it */
	memset(&rq, 0, sizeof(rq));
	rq.id = "0123456789abcdef";
	rq.skill = "sum";
	rq.agent = SKILL_AGENT_CODEX;
	rq.exe = exe;
	rq.prompt = outside;	/* the script writes PROMPT.out */
	rq.model = "gpt-x";
	rq.input = "{\"a\":1}";
	rq.key = "sk-test";
	rq.base_url = "http://127.0.0.1:9/v1";
	rq.agent_path = "/usr/bin:/bin";
	rq.rundir = rundir;
	rq.home = home;
	rq.log_path = log;
	rq.landlock_abi = skill_sandbox_probe();
	/* a descriptor of ours the agent must not get */
	ck_assert_int_ge(keep = open("/dev/null", O_RDONLY), 0);
	ck_assert_int_eq(skill_spawn(&rq, &pid, &xfd, why, whylen), 0);
	close(keep);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	skill_spawn_exec_error(xfd, why, whylen);
	ck_assert(WIFEXITED(status));
	return (WEXITSTATUS(status));
}

/* env_allowed - is the variable at p one an agent may see? */
static int
env_allowed(const char *p)
{
	static const char *const names[] = { "PATH=", "HOME=", "TMPDIR=",
	    "LANG=", "NO_COLOR=", "CORRAL_RUN_ID=", "CORRAL_SKILL=",
	    "OPENAI_API_KEY=", "OPENAI_BASE_URL=", "PWD=", "SHLVL=", "_=",
	    NULL };
	size_t	i;

	for (i = 0; names[i] != NULL; i++)
		if (strncmp(p, names[i], strlen(names[i])) == 0)
			return (1);
	return (0);
}

/* has - does text hold line (a whole line)? */
static int
has(const char *text, const char *line)
{
	const char	*p = text;
	size_t		 n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' ||
		    p[n] == '\0'))
			return (1);
		p += n;
	}
	return (0);
}

START_TEST(test_spawn)
{
	char	 exe[128], log[128], why[512], want[PATH_MAX + 64], *text;
	char	 path[PATH_MAX + 64];
	struct rlimit	 rl;
	size_t	 len;
	int	 nenv = 0;
	const char *p;

	snprintf(exe, sizeof(exe), "%s/codex", tmp);
	ck_assert_int_eq(fs_write_atomic(exe, fake_codex, strlen(fake_codex),
	    0700), 0);
	ck_assert_int_eq(spawn_fake(exe, log, sizeof(log), why, sizeof(why)),
	    3);
	ck_assert_str_eq(why, "");
	ck_assert_int_eq(fs_read_file(log, 1 << 20, &text, &len), 0);
	ck_assert_msg(has(text, "argc=7"), "log:\n%s", text);
	ck_assert(has(text, "arg=exec"));
	ck_assert(has(text, "arg=--skip-git-repo-check"));
	ck_assert(has(text, "arg=-m"));
	ck_assert(has(text, "arg=gpt-x"));
	snprintf(want, sizeof(want), "env=PATH=/usr/bin:/bin");
	ck_assert(has(text, want));
	snprintf(want, sizeof(want), "env=HOME=%s/agents/codex", tmp);
	ck_assert(has(text, want));
	snprintf(want, sizeof(want), "env=TMPDIR=%s/runs/r1/.tmp", tmp);
	ck_assert(has(text, want));
	ck_assert(has(text, "env=LANG=C.UTF-8"));
	ck_assert(has(text, "env=NO_COLOR=1"));
	ck_assert(has(text, "env=CORRAL_RUN_ID=0123456789abcdef"));
	ck_assert(has(text, "env=CORRAL_SKILL=sum"));
	ck_assert(has(text, "env=OPENAI_API_KEY=sk-test"));
	ck_assert(has(text, "env=OPENAI_BASE_URL=http://127.0.0.1:9/v1"));
	/* nothing else but what the shell adds of its own (PWD, ...) */
	for (p = text; (p = strstr(p, "env=")) != NULL; p += 4) {
		if (p != text && p[-1] != '\n')
			continue;
		nenv++;
		ck_assert_msg(env_allowed(p + 4), "unexpected %.40s", p);
	}
	ck_assert_int_ge(nenv, 9);
	snprintf(want, sizeof(want), "pwd=%s/runs/r1", tmp);
	ck_assert(has(text, want));
	ck_assert(has(text, "umask=0077"));
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	snprintf(want, sizeof(want), "nofile=%llu", rl.rlim_cur >
	    SKILL_SPAWN_NOFILE ? (unsigned long long)SKILL_SPAWN_NOFILE :
	    (unsigned long long)rl.rlim_cur);
	/* valgrind only pretends to change RLIMIT_NOFILE for its client */
	if (getenv("LD_PRELOAD") == NULL || strstr(getenv("LD_PRELOAD"),
	    "valgrind") == NULL)
		ck_assert_msg(has(text, want), "want %s:\n%s", want, text);
	ck_assert(has(text, "core=0"));
	ck_assert_msg(strstr(text, "open=") == NULL, "log:\n%s", text);
	ck_assert(!has(text, "stdin=") );
	ck_assert(has(text, "write_rundir=ok"));
	ck_assert(has(text, "write_home=ok"));
	ck_assert(has(text, "write_tmpdir=ok"));
	if (skill_sandbox_probe() > 0)
		ck_assert_msg(has(text, "write_outside=refused"), "log:\n%s",
		    text);
	ck_assert(has(text, "to-stderr"));
	free(text);
	snprintf(path, sizeof(path), "%s/runs/r1/input.json", tmp);
	ck_assert_int_eq(fs_read_file(path, 4096, &text, &len), 0);
	ck_assert_str_eq(text, "{\"a\":1}");
	free(text);
}
END_TEST

START_TEST(test_spawn_exec_error)
{
	char	exe[128], log[128], why[512];

	snprintf(exe, sizeof(exe), "%s/codex", tmp);
	ck_assert_int_eq(fs_write_atomic(exe, "not a program\n", 14, 0600),
	    0);
	ck_assert_int_eq(spawn_fake(exe, log, sizeof(log), why, sizeof(why)),
	    127);
	ck_assert_msg(strstr(why, "cannot run") != NULL &&
	    strstr(why, "Permission denied") != NULL, "got '%s'", why);
}
END_TEST

START_TEST(test_starttime)
{
	char		 buf[1024], *p;
	long long	 want;
	int		 fd, i;
	ssize_t		 n;
	pid_t		 pid;

	ck_assert_int_ge(fd = open("/proc/self/stat", O_RDONLY), 0);
	ck_assert_int_gt(n = read(fd, buf, sizeof(buf) - 1), 0);
	close(fd);
	buf[n] = '\0';
	p = strrchr(buf, ')') + 2;
	for (i = 3; i < 22; i++)
		p = strchr(p, ' ') + 1;
	want = strtoll(p, NULL, 10);
	ck_assert_int_eq(skill_spawn_starttime(getpid()), want);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	ck_assert_int_eq(skill_spawn_starttime(pid), -1);
}
END_TEST

/* skill_queue_suite - the policy, the sandbox, the spawn */
Suite *
skill_queue_suite(void)
{
	Suite		*s;
	TCase		*tc;
	const char	*fork_mode = getenv("CK_FORK");

	s = suite_create("skill_queue");
	tc = tcase_create("policy");
	tcase_add_checked_fixture(tc, q_setup, q_teardown);
	tcase_add_test(tc, test_order);
	tcase_add_test(tc, test_global_limit);
	tcase_add_test(tc, test_skill_limit_pass_over);
	tcase_add_test(tc, test_gone_skill);
	tcase_add_test(tc, test_counts);
	/* fatalx exits the process: only where each test has its own */
	if (fork_mode == NULL || strcmp(fork_mode, "no") != 0)
		tcase_add_exit_test(tc, test_ended_unstarted, 1);
	tcase_add_test(tc, test_prompt);
	suite_add_tcase(s, tc);
	tc = tcase_create("process");
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, fs_setup, fs_teardown);
	tcase_add_test(tc, test_sandbox);
	tcase_add_test(tc, test_spawn);
	tcase_add_test(tc, test_spawn_exec_error);
	tcase_add_test(tc, test_starttime);
	suite_add_tcase(s, tc);
	return (s);
}
