/* port_errno.c - errno values as OTP's atoms (see port_errno.h). */
#include "runtime/port/port_errno.h"

#include "runtime/term/atom.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

/* OTP names an errno by its C macro in lower case. */
static const struct {
    int err;
    const char *name;
} names[] = {
    {EPERM, "EPERM"},   {ENOENT, "ENOENT"}, {ESRCH, "ESRCH"},     {EINTR, "EINTR"},   {EIO, "EIO"},
    {ENXIO, "ENXIO"},   {E2BIG, "E2BIG"},   {ENOEXEC, "ENOEXEC"}, {EBADF, "EBADF"},   {ECHILD, "ECHILD"},
    {EAGAIN, "EAGAIN"}, {ENOMEM, "ENOMEM"}, {EACCES, "EACCES"},   {EFAULT, "EFAULT"}, {EBUSY, "EBUSY"},
    {EEXIST, "EEXIST"}, {EXDEV, "EXDEV"},   {ENODEV, "ENODEV"},   {ENOTDIR, "ENOTDIR"}, {EISDIR, "EISDIR"},
    {EINVAL, "EINVAL"}, {ENFILE, "ENFILE"}, {EMFILE, "EMFILE"},   {ENOTTY, "ENOTTY"}, {ETXTBSY, "ETXTBSY"},
    {EFBIG, "EFBIG"},   {ENOSPC, "ENOSPC"}, {ESPIPE, "ESPIPE"},   {EROFS, "EROFS"},   {EMLINK, "EMLINK"},
    {EPIPE, "EPIPE"},   {ENAMETOOLONG, "ENAMETOOLONG"},           {ELOOP, "ELOOP"},   {ENOSYS, "ENOSYS"},
    /* sockets (the inet drivers) */
    {ECONNREFUSED, "ECONNREFUSED"}, {ECONNRESET, "ECONNRESET"},   {ECONNABORTED, "ECONNABORTED"},
    {ENOTCONN, "ENOTCONN"},         {EISCONN, "EISCONN"},         {EADDRINUSE, "EADDRINUSE"},
    {EADDRNOTAVAIL, "EADDRNOTAVAIL"}, {EAFNOSUPPORT, "EAFNOSUPPORT"}, {ETIMEDOUT, "ETIMEDOUT"},
    {EHOSTUNREACH, "EHOSTUNREACH"}, {ENETUNREACH, "ENETUNREACH"}, {ENETDOWN, "ENETDOWN"},
    {EINPROGRESS, "EINPROGRESS"},   {EALREADY, "EALREADY"},       {ENOTSOCK, "ENOTSOCK"},
    {EOPNOTSUPP, "EOPNOTSUPP"},     {EMSGSIZE, "EMSGSIZE"},       {ENOBUFS, "ENOBUFS"},
    {EPROTONOSUPPORT, "EPROTONOSUPPORT"}, {ENOPROTOOPT, "ENOPROTOOPT"}, {EDESTADDRREQ, "EDESTADDRREQ"},
};

Term port_errno_atom(int err)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (names[i].err != err) continue;
        char lower[32];
        size_t n = strlen(names[i].name);
        for (size_t k = 0; k < n; k++) lower[k] = (char)tolower((unsigned char)names[i].name[k]);
        return atom_put(lower, n);
    }
    return atom_from_cstr("unknown");
}
