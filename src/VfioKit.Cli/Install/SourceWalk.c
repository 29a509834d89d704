/*
 * The `./vfiokit` launcher's staleness check: are the sources of the checkout newer than the binary its
 * launcher built? Written in C, linked into the NativeAOT binary, so it can start from a constructor:
 * before the .NET runtime's own start-up, which is most of the binary's run time (docs/BENCHMARKS.md).
 * The check's ~600 statx calls then run on another CPU while the runtime starts, and are over before Main
 * asks for the verdict (vfiokit_source_verdict, called by Install/SourceFreshness.cs just before the
 * verb). Started from Main instead, the walk outlasted Main's ~2 ms and added its tail to every call.
 * The JIT build (tests) loads the same code as libvfiokitsource.so: the constructor then runs when
 * SourceFreshness first calls into it, and the verdict is the same.
 *
 * Compared with the build stamp (.cache/aot/.stamp3): Directory.Build.props, docs/rules and src, which
 * may appear after a build, and every entry in .cache/aot/.inputs, the list of the build's inputs (files
 * and directories, bin/ and obj/ left out) that the launcher writes whenever it puts a stamp in place. An
 * edited file has a newer mtime; a deleted one is missing; an added, renamed or replaced one (git checkout,
 * mv, rm: its own mtime may go backwards) moves its directory's mtime to now, and every directory is in
 * the list. One statx per entry, relative to the checkout, not following links; no directory is read.
 *
 * Trust: the check runs only when this process is ROOT/.cache/aot/vfiokit, ROOT being the directory of the
 * launcher named in VFIOKIT_LAUNCHER (same device and inode), so an installed copy (another file) never
 * runs a script named in its environment.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The verdicts, as Install/SourceFreshness.cs reads them. */
enum { NOT_LAUNCHED = 0, CURRENT = 1, STALE = 2 };

static pthread_t walker;
static int walking;
static int verdict = NOT_LAUNCHED;
static char root[PATH_MAX];

/* 0 with the entry's mtime (not following a symlink); -1 when it does not exist; 1 on any other error. */
static int stat_at(int dirfd, const char *name, struct statx_timestamp *time)
{
    struct statx buffer;
    if (statx(dirfd, name, AT_SYMLINK_NOFOLLOW, STATX_MTIME, &buffer) != 0)
        return errno == ENOENT ? -1 : 1;
    *time = buffer.stx_mtime;
    return 0;
}

static int after(struct statx_timestamp a, struct statx_timestamp b)
{
    return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

/* The launcher's list of inputs, NUL-terminated paths relative to the checkout, in a buffer the caller
 * frees; null when it cannot be read whole or does not end with a NUL (cut short). */
static char *read_inputs(int root_fd, size_t *length)
{
    int fd = openat(root_fd, ".cache/aot/.inputs", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return NULL;
    struct stat status;
    char *text = NULL;
    if (fstat(fd, &status) == 0 && S_ISREG(status.st_mode) && (text = malloc((size_t)status.st_size + 1)) != NULL) {
        size_t done = 0;
        while (done < (size_t)status.st_size) {
            ssize_t part = read(fd, text + done, (size_t)status.st_size - done);
            if (part <= 0) break;
            done += (size_t)part;
        }
        if (done != (size_t)status.st_size || done == 0 || text[done - 1] != '\0') {
            free(text);
            text = NULL;
        } else {
            text[done] = '\0';
            *length = done;
        }
    }
    close(fd);
    return text;
}

/* True when an input is newer than the stamp, when there is no stamp or list, or when an entry cannot be
 * stat'ed: each means "not known to be current", which the launcher's content hash then settles. */
static int stale(int root_fd)
{
    struct statx_timestamp since, time;
    /* The build stamp: the launcher moves it into place before each build (or after a content hash found
     * nothing changed), so a source edited after that is newer. Its name changes with the protocol between
     * the launcher and the binary (see the launcher's comment). */
    if (stat_at(root_fd, ".cache/aot/.stamp3", &since) != 0) return 1;
    /* Directory.Build.props and docs/rules may be absent, and a build before they appeared did not list them. */
    static const char *const roots[] = { "Directory.Build.props", "docs/rules" };
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        int found = stat_at(root_fd, roots[i], &time);
        if (found > 0 || (found == 0 && after(time, since))) return 1;
    }
    size_t length;
    char *inputs = read_inputs(root_fd, &length);
    if (inputs == NULL) return 1;
    int found = 0;
    for (size_t at = 0; at < length && !found; at += strlen(inputs + at) + 1)
        found = inputs[at] == '\0' || stat_at(root_fd, inputs + at, &time) != 0 || after(time, since);
    free(inputs);
    return found;
}

/* Whether PATH (symlinks followed) is this process's executable. */
static int is_this_executable(const char *path)
{
    struct stat self, built;
    return stat("/proc/self/exe", &self) == 0 && stat(path, &built) == 0 && self.st_dev == built.st_dev && self.st_ino == built.st_ino;
}

static void *walk(void *unused)
{
    (void)unused;
    int root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    verdict = root_fd < 0 || stale(root_fd) ? STALE : CURRENT;
    if (root_fd >= 0) close(root_fd);
    return NULL;
}

__attribute__((constructor)) static void start(void)
{
    /* The launcher's path as it ran itself: ROOT/vfiokit, or plain vfiokit (ROOT is then "."). */
    const char *launcher = getenv("VFIOKIT_LAUNCHER");
    if (launcher == NULL || launcher[0] == '\0') return;
    const char *slash = strrchr(launcher, '/');
    if (strcmp(slash == NULL ? launcher : slash + 1, "vfiokit") != 0) return;
    size_t length = slash == NULL ? 0 : slash == launcher ? 1 : (size_t)(slash - launcher);
    char built[PATH_MAX];
    if (length + sizeof "/.cache/aot/vfiokit" > sizeof root) return;
    memcpy(root, length == 0 ? "." : launcher, length == 0 ? 1 : length);
    root[length == 0 ? 1 : length] = '\0';
    memcpy(built, root, strlen(root));
    strcpy(built + strlen(root), "/.cache/aot/vfiokit");

    /* The trust check decides whether there is a walk at all; a failed thread start means "not known to be
     * current" (the launcher's hash decides). */
    if (!is_this_executable(built)) return;
    /* The runtime registers for private expedited membarrier early in its start-up; in a process with a
     * second thread the kernel then waits for an RCU grace period (synchronize_rcu), ~12 ms here, where a
     * single-threaded process returns at once. Registered now, before the thread exists, the runtime's call
     * finds it done. Failure (an old kernel) changes nothing: the runtime then takes its own fallback. */
    syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0);
    /* On a CPU other than this thread's: left to the scheduler, the new thread often queued behind the
     * runtime's start-up on the same CPU, which then lost the walk's time (+0.6 ms of 10, docs/BENCHMARKS.md). */
    pthread_attr_t attributes;
    int placed = pthread_attr_init(&attributes) == 0;
    cpu_set_t cpus;
    int here = sched_getcpu();
    if (placed && here >= 0 && sched_getaffinity(0, sizeof cpus, &cpus) == 0 && CPU_ISSET(here, &cpus) && CPU_COUNT(&cpus) > 1) {
        CPU_CLR(here, &cpus);
        pthread_attr_setaffinity_np(&attributes, sizeof cpus, &cpus);
    }
    /* Signals go to the runtime's threads, never to this one. */
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    /* Placed if it can be, else anywhere: a thread that cannot start sends every call through the hash. */
    if ((placed && pthread_create(&walker, &attributes, walk, NULL) == 0) || pthread_create(&walker, NULL, walk, NULL) == 0)
        walking = 1;
    else
        verdict = STALE;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (placed) pthread_attr_destroy(&attributes);
}

/* NOT_LAUNCHED when this process was not run by its own launcher; else waits for the walk and says whether
 * the sources may be newer. Called once, by Install/SourceFreshness.cs. */
int vfiokit_source_verdict(void)
{
    if (walking) {
        pthread_join(walker, NULL);
        walking = 0;
    }
    return verdict;
}
