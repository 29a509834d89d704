/*
 * The `./vfiokit` launcher's staleness walk: are the sources of the checkout newer than the binary its
 * launcher built? Written in C, linked into the NativeAOT binary, so it can start from a constructor:
 * before the .NET runtime's own start-up, which is most of the binary's run time (docs/BENCHMARKS.md).
 * The walk's ~800 syscalls then run on the other core while the runtime starts, and are over before Main
 * asks for the verdict (vfiokit_source_verdict, called by Install/SourceFreshness.cs just before the
 * verb). Started from Main instead, the walk outlasted Main's ~2 ms and added its tail to every call.
 * The JIT build (tests) loads the same code as libvfiokitsource.so: the constructor then runs when
 * SourceFreshness first calls into it, and the verdict is the same.
 *
 * Inputs compared with the build stamp (.cache/aot/.stamp3): Directory.Build.props, docs/rules and its
 * entries, src and its entries, and each project directory (src/PROJECT) to PROJECT_LEVELS levels of
 * directories below it. Directories are compared too: git checkout, mv and rm replace or remove entries,
 * which moves the directory's mtime to now even when a file's own mtime goes backwards. bin/ and obj/ are
 * neither compared nor entered (they hold as many entries as the sources and change on every build), and
 * below src/PROJECT a name with a dot is taken for a file and not entered (the launcher tests check the
 * source tree keeps to that shape). Per directory one openat, its getdents64 calls and a close; per
 * entry one statx relative to its directory: no path walk from /, no allocation.
 *
 * Trust: the walk runs only when this process is ROOT/.cache/aot/vfiokit, ROOT being the directory of the
 * launcher named in VFIOKIT_LAUNCHER (same device and inode), so an installed copy (another file) never
 * runs a script named in its environment.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <linux/membarrier.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Levels entered below src/PROJECT: entries up to src/PROJECT/a/b/c/d/e are compared. */
#define PROJECT_LEVELS 4

/* The verdicts, as Install/SourceFreshness.cs reads them. */
enum { NOT_LAUNCHED = 0, CURRENT = 1, STALE = 2 };

static pthread_t walker;
static int walking;
static int verdict = NOT_LAUNCHED;
static char root[PATH_MAX];

/* 0 with the entry's mtime and kind (not following a symlink); -1 when it does not exist; 1 on any other error. */
static int stat_at(int dirfd, const char *name, struct statx_timestamp *time, int *is_directory)
{
    struct statx buffer;
    if (statx(dirfd, name, AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_MTIME, &buffer) != 0)
        return errno == ENOENT ? -1 : 1;
    *time = buffer.stx_mtime;
    *is_directory = S_ISDIR(buffer.stx_mode);
    return 0;
}

static int after(struct statx_timestamp a, struct statx_timestamp b)
{
    return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

static int open_directory(int parent, const char *name)
{
    return openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Is an entry of the directory NAME (relative to PARENT), or of its subdirectories LEVELS deep, newer than
 * SINCE, or can it not be read? With PROJECTS, each subdirectory is a project, walked PROJECT_LEVELS deep. */
static int newer(int parent, const char *name, struct statx_timestamp since, int levels, int projects)
{
    int fd = open_directory(parent, name);
    if (fd < 0) return 1;
    char buffer[8192] __attribute__((aligned(8)));
    int found = 0;
    for (;;) {
        ssize_t length = getdents64(fd, buffer, sizeof buffer);
        if (length <= 0) {
            found = length < 0;
            break;
        }
        for (ssize_t offset = 0; offset < length && !found;) {
            struct dirent64 *entry = (struct dirent64 *)(buffer + offset);
            offset += entry->d_reclen;
            const char *entry_name = entry->d_name;
            if (strcmp(entry_name, ".") == 0 || strcmp(entry_name, "..") == 0 || strcmp(entry_name, "bin") == 0 || strcmp(entry_name, "obj") == 0)
                continue;
            struct statx_timestamp time;
            int is_directory;
            if (stat_at(fd, entry_name, &time, &is_directory) != 0 || after(time, since))
                found = 1;
            else if (!is_directory)
                continue;
            else if (projects)
                found = newer(fd, entry_name, since, PROJECT_LEVELS, 0);
            else if (levels > 0 && strchr(entry_name, '.') == NULL)
                found = newer(fd, entry_name, since, levels - 1, 0);
        }
        if (found) break;
    }
    close(fd);
    return found;
}

/* True when an input is newer than the stamp, when there is no stamp, or when the walk fails: each means
 * "not known to be current", which the launcher's content hash then settles. */
static int stale(int root_fd)
{
    struct statx_timestamp since, time;
    int is_directory;
    /* The build stamp: the launcher moves it into place before each build (or after a content hash found
     * nothing changed), so a source edited after that is newer. Its name changes with the protocol between
     * the launcher and the binary (see the launcher's comment). */
    if (stat_at(root_fd, ".cache/aot/.stamp3", &since, &is_directory) != 0) return 1;
    /* Directory.Build.props and docs/rules may be absent (the hash then has nothing of them either). */
    int found = stat_at(root_fd, "Directory.Build.props", &time, &is_directory);
    if (found > 0 || (found == 0 && after(time, since))) return 1;
    found = stat_at(root_fd, "docs/rules", &time, &is_directory);
    if (found > 0 || (found == 0 && (after(time, since) || newer(root_fd, "docs/rules", since, 0, 0)))) return 1;
    if (stat_at(root_fd, "src", &time, &is_directory) != 0 || after(time, since)) return 1;
    return newer(root_fd, "src", since, 0, 1);
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
    int root_fd = open_directory(AT_FDCWD, root);
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
     * runtime's start-up on the same CPU, which then lost the walk's time (+0.6 ms of 10, bench/launcher.sh). */
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
    if (pthread_create(&walker, placed ? &attributes : NULL, walk, NULL) == 0)
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
