/*
 * file_fd.c - prim_file's NIFs on open files: open_nif, close_nif,
 * read_nif, write_nif, pread_nif, pwrite_nif, seek_nif, sync_nif,
 * truncate_nif, allocate_nif, advise_nif, read_handle_info_nif,
 * get_handle_nif, delayed_close_nif, ipread_s32bu_p32bu_nif and
 * file_desc_to_ref_nif. All but close run on the dirty I/O schedulers
 * (bifs_file.def). Results are OTP's: {ok, _} | eof | {error, Posix}.
 */
#include "runtime/file/file_util.h"

#include "runtime/proc/heap.h"
#include "runtime/term/big.h"
#include "runtime/term/binary.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/uio.h>
#ifndef IOV_MAX
#define IOV_MAX 1024
#endif
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

Term file_info_from_stat(Process *p, const struct stat *st, const char *path, int fd);

/* Runs op on the open file named by args[0], with its lock held. */
static Term with_file(Process *p, const Term *args, Term (*op)(Process *, FileRes *, const Term *))
{
    Term res;
    FileRes *r = file_handle_arg(p, args[0], &res);
    if (!r) return res;
    pthread_mutex_lock(&r->lock);
    res = r->fd < 0 ? file_error(p, AM_einval) : op(p, r, args);
    pthread_mutex_unlock(&r->lock);
    file_res_put(r);
    return res;
}

/* ---- open ---- */

/* Open flags for OTP's mode list; false for something that is not a list. */
static bool open_flags(Term modes, int *flags, int *fmodes)
{
    bool rd = false, wr = false, app = false, excl = false, sync = false, dir = false;
    for (; is_list(modes); modes = list_tail(modes)) {
        Term m = list_head(modes);
        if (m == AM_read) rd = true;
        else if (m == AM_write) wr = true;
        else if (m == AM_append) app = true;
        else if (m == AM_exclusive) excl = true;
        else if (m == AM_sync) sync = true;
        else if (m == AM_directory) dir = true;
    }
    if (!is_nil(modes)) return false;
    if (app) wr = true;
    if (!rd && !wr) rd = true;
    int f = rd && wr ? O_RDWR : wr ? O_WRONLY : O_RDONLY;
    if (wr) f |= O_CREAT;
    if (wr && !rd && !app) f |= O_TRUNC;
    if (app) f |= O_APPEND;
    if (excl) f |= O_EXCL;
    if (sync) f |= O_SYNC;
    if (dir) f |= O_DIRECTORY;
    *flags = f | O_CLOEXEC;
    *fmodes = (rd ? FILE_MODE_READ : 0) | (wr ? FILE_MODE_WRITE : 0) | (app ? FILE_MODE_APPEND : 0);
    return true;
}

static Term new_handle(Process *p, int fd, int fmodes)
{
    FileRes *r = calloc(1, sizeof *r);
    if (!r) {
        close(fd);
        return file_error(p, atom_from_cstr("enomem"));
    }
    r->kind = RES_FILE;
    r->fd = fd;
    r->modes = fmodes;
    return file_ok(p, file_res_new(p, r));
}

Term bif_prim_file_open_nif_2(Process *p, const Term *args)
{
    const char *path = file_path(args[0]);
    int flags, fmodes;
    if (!path || !open_flags(args[1], &flags, &fmodes)) return bif_error(p, AM_badarg);
    int fd;
    do fd = open(path, flags, 0666);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) return file_errno(p, errno);
    struct stat st;
    /* As OTP: a directory opened as a file is eisdir, unless `directory` was asked for. */
    if (!(flags & O_DIRECTORY) && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return file_error(p, atom_from_cstr("eisdir"));
    }
    return new_handle(p, fd, fmodes);
}

Term bif_prim_file_file_desc_to_ref_nif_1(Process *p, const Term *args)
{
    if (!is_small(args[0]) || small_val(args[0]) < 0 || small_val(args[0]) > INT_MAX)
        return bif_error(p, AM_badarg);
    int fd = (int)small_val(args[0]);
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0) return file_errno(p, errno);
    int acc = fl & O_ACCMODE;
    int fmodes = (acc != O_WRONLY ? FILE_MODE_READ : 0) | (acc != O_RDONLY ? FILE_MODE_WRITE : 0) |
                 (fl & O_APPEND ? FILE_MODE_APPEND : 0);
    return new_handle(p, fd, fmodes);
}

/* ---- close ---- */

static Term close_handle(Process *p, const Term *args)
{
    Term res;
    FileRes *r = file_handle_arg(p, args[0], &res);
    if (!r) return res;
    pthread_mutex_lock(&r->lock);
    int err = 0;
    if (r->fd < 0) err = EINVAL;
    else if (close(r->fd) != 0 && errno != EINTR) err = errno;
    r->fd = -1;
    pthread_mutex_unlock(&r->lock);
    file_res_remove(r);
    file_res_put(r);
    return err ? file_errno(p, err) : AM_ok;
}

Term bif_prim_file_close_nif_1(Process *p, const Term *args) { return close_handle(p, args); }
Term bif_prim_file_delayed_close_nif_1(Process *p, const Term *args) { return close_handle(p, args); }

/* ---- reading ---- */

/* Reads up to n bytes with pread (off >= 0) or read into a new binary: {ok, Bin} | eof | error. */
static Term read_into(Process *p, int fd, size_t n, int64_t off)
{
    if (n == 0) return file_ok(p, binary_from_bytes(p, NULL, 0));
    Binary *b = binary_alloc(n);
    if (!b) return file_error(p, atom_from_cstr("enomem"));
    size_t got = 0;
    while (got < n) {
        ssize_t k = off >= 0 ? pread(fd, b->data + got, n - got, off + (int64_t)got) : read(fd, b->data + got, n - got);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            int err = errno;
            binary_release(b);
            return file_errno(p, err);
        }
        if (k == 0) break;
        got += (size_t)k;
    }
    if (got == 0) {
        binary_release(b);
        return AM_eof;
    }
    Term bin;
    if (got <= BINARY_HEAP_MAX || got < n / 2) {
        bin = binary_from_bytes(p, b->data, got);
        binary_release(b);
    } else {
        bin = binary_handle_at(p, heap_alloc(p, REFC_BIN_WORDS), b, got);
    }
    return file_ok(p, bin);
}

static bool size_arg(Term t, size_t *n)
{
    int64_t v;
    if (!file_get_i64(t, &v) || v < 0) return false;
    *n = (size_t)v;
    return true;
}

static Term op_read(Process *p, FileRes *r, const Term *args)
{
    size_t n;
    if (!size_arg(args[1], &n)) return bif_error(p, AM_badarg);
    if (!(r->modes & FILE_MODE_READ)) return file_error(p, atom_from_cstr("ebadf"));
    return read_into(p, r->fd, n, -1);
}

static Term op_pread(Process *p, FileRes *r, const Term *args)
{
    int64_t off;
    size_t n;
    if (!file_get_i64(args[1], &off) || !size_arg(args[2], &n)) return bif_error(p, AM_badarg);
    if (off < 0) return file_error(p, AM_einval);
    if (!(r->modes & FILE_MODE_READ)) return file_error(p, atom_from_cstr("ebadf"));
    if (n == 0) return AM_eof; /* OTP's pread of nothing, anywhere in the file (read/2 gives <<>>) */
    return read_into(p, r->fd, n, off);
}

Term bif_prim_file_read_nif_2(Process *p, const Term *args) { return with_file(p, args, op_read); }
Term bif_prim_file_pread_nif_3(Process *p, const Term *args) { return with_file(p, args, op_pread); }

/* ---- writing ---- */

/* The binaries of an iovec (a list of binaries) as struct iovec; NULL with *bad when it is not one. */
static struct iovec *iovec_of(Term list, size_t *count, bool *bad)
{
    size_t n = 0;
    Term t = list;
    for (; is_list(t); t = list_tail(t)) {
        if (!binary_is_binary(list_head(t))) break;
        n++;
    }
    *bad = !is_nil(t);
    if (*bad) return NULL;
    struct iovec *iov = malloc((n ? n : 1) * sizeof *iov);
    if (!iov) return NULL;
    size_t i = 0;
    for (t = list; is_list(t); t = list_tail(t), i++) {
        const uint8_t *data;
        size_t len;
        binary_bytes(list_head(t), &data, &len);
        iov[i] = (struct iovec){(void *)data, len};
    }
    *count = n;
    return iov;
}

/* Writes all of iov (pwritev at off when off >= 0); 0 or an errno value. */
static int write_all(int fd, struct iovec *iov, size_t n, int64_t off)
{
    size_t i = 0;
    while (i < n) {
        if (iov[i].iov_len == 0) { i++; continue; }
        int cnt = (int)(n - i < IOV_MAX ? n - i : IOV_MAX);
        ssize_t k = off >= 0 ? pwritev(fd, iov + i, cnt, off) : writev(fd, iov + i, cnt);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return errno;
        if (off >= 0) off += k;
        for (size_t left = (size_t)k; left > 0 && i < n;) {
            size_t take = left < iov[i].iov_len ? left : iov[i].iov_len;
            iov[i].iov_base = (char *)iov[i].iov_base + take;
            iov[i].iov_len -= take;
            left -= take;
            if (iov[i].iov_len == 0) i++;
        }
    }
    return 0;
}

static Term write_iovec(Process *p, FileRes *r, Term list, int64_t off)
{
    size_t n;
    bool bad;
    struct iovec *iov = iovec_of(list, &n, &bad);
    if (!iov) return bad ? bif_error(p, AM_badarg) : file_error(p, atom_from_cstr("enomem"));
    if (!(r->modes & FILE_MODE_WRITE)) {
        free(iov);
        return file_error(p, atom_from_cstr("ebadf"));
    }
    int err = write_all(r->fd, iov, n, off);
    free(iov);
    return err ? file_errno(p, err) : AM_ok;
}

static Term op_write(Process *p, FileRes *r, const Term *args) { return write_iovec(p, r, args[1], -1); }

static Term op_pwrite(Process *p, FileRes *r, const Term *args)
{
    int64_t off;
    if (!file_get_i64(args[1], &off)) return bif_error(p, AM_badarg);
    if (off < 0) return file_error(p, AM_einval);
    return write_iovec(p, r, args[2], off);
}

Term bif_prim_file_write_nif_2(Process *p, const Term *args) { return with_file(p, args, op_write); }
Term bif_prim_file_pwrite_nif_3(Process *p, const Term *args) { return with_file(p, args, op_pwrite); }

/* ---- position, sync, size ---- */

static Term op_seek(Process *p, FileRes *r, const Term *args)
{
    int64_t off;
    int whence = args[1] == AM_bof ? SEEK_SET : args[1] == AM_cur ? SEEK_CUR : args[1] == AM_eof ? SEEK_END : -1;
    if (whence < 0 || !file_get_i64(args[2], &off)) return bif_error(p, AM_badarg);
    off_t pos = lseek(r->fd, off, whence);
    if (pos < 0) return file_errno(p, errno);
    return file_ok(p, int_from_i64(p, pos));
}

static Term op_sync(Process *p, FileRes *r, const Term *args)
{
    int rc = args[1] == make_small(1) ? fdatasync(r->fd) : fsync(r->fd);
    return rc == 0 ? AM_ok : file_errno(p, errno);
}

static Term op_truncate(Process *p, FileRes *r, const Term *args)
{
    (void)args;
    off_t pos = lseek(r->fd, 0, SEEK_CUR);
    if (pos < 0 || ftruncate(r->fd, pos) != 0) return file_errno(p, errno);
    return AM_ok;
}

static Term op_allocate(Process *p, FileRes *r, const Term *args)
{
    int64_t off, len;
    if (!file_get_i64(args[1], &off) || !file_get_i64(args[2], &len)) return bif_error(p, AM_badarg);
    int err = posix_fallocate(r->fd, off, len);
    return err ? file_errno(p, err) : AM_ok;
}

static Term op_advise(Process *p, FileRes *r, const Term *args)
{
    int64_t off, len;
    if (!file_get_i64(args[1], &off) || !file_get_i64(args[2], &len)) return bif_error(p, AM_badarg);
    Term a = args[3];
    int adv = a == AM_normal ? POSIX_FADV_NORMAL : a == AM_random ? POSIX_FADV_RANDOM
            : a == AM_sequential ? POSIX_FADV_SEQUENTIAL : a == AM_will_need ? POSIX_FADV_WILLNEED
            : a == AM_dont_need ? POSIX_FADV_DONTNEED : a == AM_no_reuse ? POSIX_FADV_NOREUSE : -1;
    if (adv < 0) return file_error(p, AM_einval);
    int err = posix_fadvise(r->fd, off, len, adv);
    return err ? file_errno(p, err) : AM_ok;
}

static Term op_info(Process *p, FileRes *r, const Term *args)
{
    (void)args;
    struct stat st;
    if (fstat(r->fd, &st) != 0) return file_errno(p, errno);
    return file_info_from_stat(p, &st, NULL, r->fd);
}

static Term op_get_handle(Process *p, FileRes *r, const Term *args)
{
    (void)args;
    int fd = r->fd;
    return binary_from_bytes(p, (const uint8_t *)&fd, sizeof fd);
}

/* The index record at off: a 32-bit big-endian size and pointer, then Size bytes at Pointer:
   {ok, {Size, Pointer, Bytes | eof}}, or eof when there is no record or Size exceeds max. */
static Term op_ipread(Process *p, FileRes *r, const Term *args)
{
    int64_t off, max;
    if (!file_get_i64(args[1], &off) || !file_get_i64(args[2], &max)) return bif_error(p, AM_badarg);
    uint8_t hdr[8];
    ssize_t k;
    do k = pread(r->fd, hdr, 8, off);
    while (k < 0 && errno == EINTR);
    if (k < 0) return file_errno(p, errno);
    if (k < 8) return AM_eof;
    uint32_t size = (uint32_t)hdr[0] << 24 | hdr[1] << 16 | hdr[2] << 8 | hdr[3];
    uint32_t ptr = (uint32_t)hdr[4] << 24 | hdr[5] << 16 | hdr[6] << 8 | hdr[7];
    if (size > max) return AM_eof;
    /* an empty record reads as eof (dets takes {0, 0, eof} for an empty slot) */
    Term data = size == 0 ? AM_eof : read_into(p, r->fd, size, ptr);
    if (is_tuple(data) && tuple_elems(data)[0] == AM_error) return data;
    if (data != AM_eof) data = tuple_elems(data)[1];
    return heap_tuple2(p, AM_ok, heap_tuple3(p, int_from_u64(p, size), int_from_u64(p, ptr), data));
}

Term bif_prim_file_seek_nif_3(Process *p, const Term *args) { return with_file(p, args, op_seek); }
Term bif_prim_file_sync_nif_2(Process *p, const Term *args) { return with_file(p, args, op_sync); }
Term bif_prim_file_truncate_nif_1(Process *p, const Term *args) { return with_file(p, args, op_truncate); }
Term bif_prim_file_allocate_nif_3(Process *p, const Term *args) { return with_file(p, args, op_allocate); }
Term bif_prim_file_advise_nif_4(Process *p, const Term *args) { return with_file(p, args, op_advise); }
Term bif_prim_file_read_handle_info_nif_1(Process *p, const Term *args) { return with_file(p, args, op_info); }
Term bif_prim_file_get_handle_nif_1(Process *p, const Term *args) { return with_file(p, args, op_get_handle); }
Term bif_prim_file_ipread_s32bu_p32bu_nif_3(Process *p, const Term *args) { return with_file(p, args, op_ipread); }
