/*
 * file_fs.c - prim_file's NIFs on paths: read_file_nif, read_info_nif,
 * set_permissions_nif, set_owner_nif, set_time_nif, list_dir_nif,
 * make_dir_nif, del_dir_nif, del_file_nif, rename_nif,
 * make_hard_link_nif, make_soft_link_nif, read_link_nif, get_cwd_nif,
 * set_cwd_nif, get_device_cwd_nif and altname_nif. Paths arrive encoded
 * by internal_name2native/1 (NUL-terminated binaries); anything else is
 * badarg, which prim_file turns into {error, badarg}.
 */
#include "runtime/file/file_util.h"

#include "runtime/proc/heap.h"
#include "runtime/term/big.h"
#include "runtime/term/binary.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#define PATH_ARG(var, term)                                  \
    const char *var = file_path(term);                       \
    if (!var) return bif_error(p, AM_badarg)

static Term ok_or_errno(Process *p, int rc) { return rc == 0 ? AM_ok : file_errno(p, errno); }

/* ---- whole files ---- */

Term bif_prim_file_read_file_nif_1(Process *p, const Term *args)
{
    PATH_ARG(path, args[0]);
    int fd;
    do fd = open(path, O_RDONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) return file_errno(p, errno);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        return file_errno(p, err);
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return file_error(p, atom_from_cstr("eisdir"));
    }
    /* Regular files are read to their size; others (pipes, /proc) until end of file. */
    size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size : 4096, got = 0;
    Binary *b = binary_alloc(cap);
    while (b) {
        ssize_t k = read(fd, b->data + got, cap - got);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            int err = errno;
            binary_release(b);
            close(fd);
            return file_errno(p, err);
        }
        if (k == 0) break;
        got += (size_t)k;
        if (got == cap && !S_ISREG(st.st_mode)) {
            Binary *nb = binary_alloc(2 * cap);
            if (nb) memcpy(nb->data, b->data, got);
            binary_release(b);
            b = nb, cap *= 2;
        } else if (got == cap) {
            break;
        }
    }
    close(fd);
    if (!b) return file_error(p, atom_from_cstr("enomem"));
    Term bin;
    if (got <= BINARY_HEAP_MAX) {
        bin = binary_from_bytes(p, b->data, got);
        binary_release(b);
    } else {
        bin = binary_handle_at(p, heap_alloc(p, REFC_BIN_WORDS), b, got);
    }
    return file_ok(p, bin);
}

/* ---- file information ---- */

/*
 * #file_info{} with times as POSIX seconds (prim_file converts them). Access
 * is what the calling user may do, asked of the OS by path (or by the
 * descriptor's /proc path for an open file).
 */
Term file_info_from_stat(Process *p, const struct stat *st, const char *path, int fd)
{
    Term type = S_ISREG(st->st_mode) ? AM_regular : S_ISDIR(st->st_mode) ? AM_directory
              : S_ISLNK(st->st_mode) ? AM_symlink : S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) ? AM_device
              : AM_other;
    char procpath[64];
    if (!path) {
        snprintf(procpath, sizeof procpath, "/proc/self/fd/%d", fd);
        path = procpath;
    }
    bool r, w;
    if (S_ISLNK(st->st_mode)) {
        r = faccessat(AT_FDCWD, path, R_OK, AT_SYMLINK_NOFOLLOW | AT_EACCESS) == 0;
        w = faccessat(AT_FDCWD, path, W_OK, AT_SYMLINK_NOFOLLOW | AT_EACCESS) == 0;
    } else {
        r = access(path, R_OK) == 0;
        w = access(path, W_OK) == 0;
    }
    Term access = r && w ? AM_read_write : r ? AM_read : w ? AM_write : AM_none;
    Term *hp = heap_alloc(p, 15);
    hp[0] = make_header(14, HDR_TUPLE);
    hp[1] = AM_file_info;
    hp[2] = int_from_i64(p, st->st_size);
    hp[3] = type;
    hp[4] = access;
    hp[5] = int_from_i64(p, st->st_atim.tv_sec);
    hp[6] = int_from_i64(p, st->st_mtim.tv_sec);
    hp[7] = int_from_i64(p, st->st_ctim.tv_sec);
    hp[8] = int_from_u64(p, st->st_mode);
    hp[9] = int_from_u64(p, st->st_nlink);
    hp[10] = int_from_u64(p, st->st_dev);
    hp[11] = int_from_u64(p, st->st_rdev);
    hp[12] = int_from_u64(p, st->st_ino);
    hp[13] = int_from_u64(p, st->st_uid);
    hp[14] = int_from_u64(p, st->st_gid);
    return make_boxed(hp);
}

Term bif_prim_file_read_info_nif_2(Process *p, const Term *args)
{
    PATH_ARG(path, args[0]);
    struct stat st;
    int rc = args[1] == make_small(0) ? lstat(path, &st) : stat(path, &st);
    if (rc != 0) return file_errno(p, errno);
    return file_info_from_stat(p, &st, path, -1);
}

Term bif_prim_file_set_permissions_nif_2(Process *p, const Term *args)
{
    PATH_ARG(path, args[0]);
    int64_t mode;
    if (!file_get_i64(args[1], &mode)) return bif_error(p, AM_badarg);
    return ok_or_errno(p, chmod(path, (mode_t)mode));
}

Term bif_prim_file_set_owner_nif_3(Process *p, const Term *args)
{
    PATH_ARG(path, args[0]);
    int64_t uid, gid;
    if (!file_get_i64(args[1], &uid) || !file_get_i64(args[2], &gid)) return bif_error(p, AM_badarg);
    if (uid == -1 && gid == -1) return AM_ok;
    return ok_or_errno(p, chown(path, (uid_t)uid, (gid_t)gid));
}

/* The change time cannot be set on Unix; OTP ignores it too. */
Term bif_prim_file_set_time_nif_4(Process *p, const Term *args)
{
    PATH_ARG(path, args[0]);
    int64_t at, mt;
    if (!file_get_i64(args[1], &at) || !file_get_i64(args[2], &mt)) return bif_error(p, AM_badarg);
    struct timespec ts[2] = {{.tv_sec = at}, {.tv_sec = mt}};
    return ok_or_errno(p, utimensat(AT_FDCWD, path, ts, 0));
}

/* ---- directories and names ---- */

Term bif_prim_file_list_dir_nif_1(Process *p, const Term *args)
{
    PATH_ARG(path, args[0]);
    DIR *d = opendir(path);
    if (!d) return file_errno(p, errno);
    Term list = NIL;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        list = heap_cons(p, binary_from_bytes(p, (const uint8_t *)e->d_name, strlen(e->d_name)), list);
    }
    int err = errno;
    closedir(d);
    return err ? file_errno(p, err) : file_ok(p, list);
}

Term bif_prim_file_make_dir_nif_1(Process *p, const Term *args)
{
    PATH_ARG(path, args[0]);
    return ok_or_errno(p, mkdir(path, 0777));
}

Term bif_prim_file_del_dir_nif_1(Process *p, const Term *args)
{
    PATH_ARG(path, args[0]);
    /* As OTP: removing a directory that is not empty is eexist on every platform. */
    if (rmdir(path) == 0) return AM_ok;
    return file_errno(p, errno == ENOTEMPTY ? EEXIST : errno);
}

Term bif_prim_file_del_file_nif_1(Process *p, const Term *args)
{
    PATH_ARG(path, args[0]);
    /* Linux says eisdir for a directory; OTP gives the POSIX eperm. */
    if (unlink(path) == 0) return AM_ok;
    return file_errno(p, errno == EISDIR ? EPERM : errno);
}

Term bif_prim_file_rename_nif_2(Process *p, const Term *args)
{
    PATH_ARG(from, args[0]);
    PATH_ARG(to, args[1]);
    return ok_or_errno(p, rename(from, to));
}

Term bif_prim_file_make_hard_link_nif_2(Process *p, const Term *args)
{
    PATH_ARG(existing, args[0]);
    PATH_ARG(name, args[1]);
    return ok_or_errno(p, link(existing, name));
}

Term bif_prim_file_make_soft_link_nif_2(Process *p, const Term *args)
{
    PATH_ARG(existing, args[0]);
    PATH_ARG(name, args[1]);
    return ok_or_errno(p, symlink(existing, name));
}

Term bif_prim_file_read_link_nif_1(Process *p, const Term *args)
{
    PATH_ARG(path, args[0]);
    char buf[PATH_MAX];
    ssize_t n = readlink(path, buf, sizeof buf);
    if (n < 0) return file_errno(p, errno);
    return file_ok(p, binary_from_bytes(p, (const uint8_t *)buf, (size_t)n));
}

Term bif_prim_file_get_cwd_nif_0(Process *p, const Term *args)
{
    (void)args;
    char buf[PATH_MAX];
    if (!getcwd(buf, sizeof buf)) return file_errno(p, errno);
    return file_ok(p, binary_from_bytes(p, (const uint8_t *)buf, strlen(buf)));
}

Term bif_prim_file_set_cwd_nif_1(Process *p, const Term *args)
{
    PATH_ARG(path, args[0]);
    return ok_or_errno(p, chdir(path));
}

/* Drive letters and short names exist only on Windows: enotsup, as OTP on Unix. */
Term bif_prim_file_get_device_cwd_nif_1(Process *p, const Term *args)
{
    (void)args;
    return file_error(p, AM_enotsup);
}

Term bif_prim_file_altname_nif_1(Process *p, const Term *args)
{
    (void)args;
    return file_error(p, AM_enotsup);
}
