// libseccomp for Swift, plus the Linux calls ShimKit's container process needs that Swift
// cannot reach: variadic functions (prctl, syscall), function-like macros (SCMP_ACT_ERRNO),
// and declarations glibc hides behind _GNU_SOURCE (unshare, setns, pidfd_open, ...), which
// the prebuilt Glibc module does not expose. Every wrapper returns what the kernel returned:
// -1 with errno set, as the libc functions do.
#ifndef SHIM_SECCOMP_H
#define SHIM_SECCOMP_H

#include <seccomp.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <sys/eventfd.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <linux/sched.h>
#include <linux/capability.h>
#include <linux/magic.h>

// MARK: libseccomp macros

static inline uint32_t shim_scmp_act_errno(uint16_t errnoValue) { return SCMP_ACT_ERRNO(errnoValue); }
static inline uint32_t shim_scmp_act_trace(uint16_t message) { return SCMP_ACT_TRACE(message); }
static inline uint32_t shim_scmp_act_allow(void) { return SCMP_ACT_ALLOW; }
static inline uint32_t shim_scmp_act_kill_thread(void) { return SCMP_ACT_KILL_THREAD; }
static inline uint32_t shim_scmp_act_kill_process(void) { return SCMP_ACT_KILL_PROCESS; }
static inline uint32_t shim_scmp_act_trap(void) { return SCMP_ACT_TRAP; }
static inline uint32_t shim_scmp_act_log(void) { return SCMP_ACT_LOG; }
static inline uint32_t shim_scmp_arch_native(void) { return SCMP_ARCH_NATIVE; }

// MARK: prctl (variadic in glibc)

static inline int shim_prctl(int option, unsigned long arg2, unsigned long arg3,
                             unsigned long arg4, unsigned long arg5) {
    return prctl(option, arg2, arg3, arg4, arg5);
}

// MARK: namespaces and the root

static inline int shim_unshare(int flags) { return (int)syscall(SYS_unshare, flags); }
static inline int shim_setns(int fd, int nstype) { return (int)syscall(SYS_setns, fd, nstype); }
static inline int shim_pivot_root(const char *newRoot, const char *putOld) {
    return (int)syscall(SYS_pivot_root, newRoot, putOld);
}

static inline int shim_clone_newns(void) { return CLONE_NEWNS; }
static inline int shim_clone_newuts(void) { return CLONE_NEWUTS; }
static inline int shim_clone_newipc(void) { return CLONE_NEWIPC; }
static inline int shim_clone_newnet(void) { return CLONE_NEWNET; }
static inline int shim_clone_newpid(void) { return CLONE_NEWPID; }
static inline int shim_clone_newuser(void) { return CLONE_NEWUSER; }
static inline int shim_clone_newcgroup(void) { return CLONE_NEWCGROUP; }
static inline int shim_clone_newtime(void) { return 0x00000080; /* CLONE_NEWTIME */ }

// MARK: file descriptors and processes

static inline int shim_close_range(unsigned int first, unsigned int last, unsigned int flags) {
    return (int)syscall(SYS_close_range, first, last, flags);
}
static inline int shim_pidfd_open(pid_t pid, unsigned int flags) {
    return (int)syscall(SYS_pidfd_open, pid, flags);
}
static inline int shim_pidfd_send_signal(int pidfd, int sig) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, (void *)0, 0);
}
/// waitid(P_PIDFD, ...): the exit of exactly the process a pidfd refers to.
static inline int shim_waitid_pidfd(int pidfd, siginfo_t *info, int options) {
    return (int)syscall(SYS_waitid, 3 /* P_PIDFD */, pidfd, info, options, (void *)0);
}
static inline pid_t shim_siginfo_pid(const siginfo_t *info) { return info->si_pid; }
static inline int shim_siginfo_status(const siginfo_t *info) { return info->si_status; }
static inline int shim_siginfo_code(const siginfo_t *info) { return info->si_code; }

static inline int shim_eventfd(unsigned int initial, int flags) { return eventfd(initial, flags); }

// MARK: sealed memory files (a blob handed from the daemon to a container's init)

/// memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING).
static inline int shim_memfd_create_sealable(const char *name) {
    return (int)syscall(SYS_memfd_create, name, 0x0001U /* MFD_CLOEXEC */ | 0x0002U /* MFD_ALLOW_SEALING */);
}
/// fcntl(F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE): the file's
/// content and size are final.
static inline int shim_seal_all(int fd) {
    return fcntl(fd, 1033 /* F_ADD_SEALS */, 0x0001 | 0x0002 | 0x0004 | 0x0008);
}
/// fcntl(F_GET_SEALS).
static inline int shim_get_seals(int fd) { return fcntl(fd, 1034 /* F_GET_SEALS */); }
static inline int shim_efd_cloexec(void) { return EFD_CLOEXEC; }
static inline int shim_efd_nonblock(void) { return EFD_NONBLOCK; }

static inline int shim_statfs_type(const char *path, long *type) {
    struct statfs buffer;
    int result = statfs(path, &buffer);
    if (result == 0) { *type = (long)buffer.f_type; }
    return result;
}
static inline long shim_cgroup2_super_magic(void) { return CGROUP2_SUPER_MAGIC; }

static inline dev_t shim_makedev(unsigned int major, unsigned int minor) {
    return gnu_dev_makedev(major, minor);
}

// MARK: capabilities (no glibc wrapper)

/// Sets the three capability sets of the calling thread (64 bits each, version 3 ABI).
static inline int shim_capset(uint64_t effective, uint64_t permitted, uint64_t inheritable) {
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2] = {
        { (uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable },
        { (uint32_t)(effective >> 32), (uint32_t)(permitted >> 32), (uint32_t)(inheritable >> 32) },
    };
    return (int)syscall(SYS_capset, &header, data);
}

#endif
