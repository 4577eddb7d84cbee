/*
 * time_cal.c - calendar time: erlang:localtime/0, universaltime/0, date/0,
 * time/0, posixtime_to_universaltime/1, universaltime_to_posixtime/1,
 * universaltime_to_localtime/1 and localtime_to_universaltime/2. A date
 * and time is {{Y, M, D}, {H, Mi, S}}; the local zone is the C library's
 * (TZ). Day counts use the proleptic Gregorian calendar, as OTP.
 */
#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"
#include "runtime/term/big.h"

#include <stdint.h>
#include <time.h>

static Term triple(Process *p, long a, long b, long c)
{
    Term *hp = heap_alloc(p, 4);
    hp[0] = make_header(3, HDR_TUPLE);
    hp[1] = make_small(a), hp[2] = make_small(b), hp[3] = make_small(c);
    return make_boxed(hp);
}

static Term date_of(Process *p, const struct tm *tm) { return triple(p, tm->tm_year + 1900L, tm->tm_mon + 1, tm->tm_mday); }
static Term time_of(Process *p, const struct tm *tm) { return triple(p, tm->tm_hour, tm->tm_min, tm->tm_sec); }
static Term datetime_of(Process *p, const struct tm *tm) { return heap_tuple2(p, date_of(p, tm), time_of(p, tm)); }

static struct tm now_tm(bool local)
{
    time_t t = time(NULL);
    struct tm tm;
    if (local) localtime_r(&t, &tm);
    else gmtime_r(&t, &tm);
    return tm;
}

Term bif_localtime_0(Process *p, const Term *args)
{
    (void)args;
    struct tm tm = now_tm(true);
    return datetime_of(p, &tm);
}

Term bif_universaltime_0(Process *p, const Term *args)
{
    (void)args;
    struct tm tm = now_tm(false);
    return datetime_of(p, &tm);
}

Term bif_date_0(Process *p, const Term *args)
{
    (void)args;
    struct tm tm = now_tm(true);
    return date_of(p, &tm);
}

Term bif_time_0(Process *p, const Term *args)
{
    (void)args;
    struct tm tm = now_tm(true);
    return time_of(p, &tm);
}

/* Days since 1970-01-01 of a Gregorian date (any year). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The date of a day count (inverse of days_from_civil). */
static void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Reads {{Y, M, D}, {H, Mi, S}} with a valid date and time; false otherwise. */
static bool get_datetime(Term t, int64_t v[6])
{
    if (!is_tuple(t) || tuple_arity(t) != 2) return false;
    for (int half = 0; half < 2; half++) {
        Term part = tuple_elems(t)[half];
        if (!is_tuple(part) || tuple_arity(part) != 3) return false;
        for (int i = 0; i < 3; i++) {
            Term x = tuple_elems(part)[i];
            if (!is_small(x)) return false;
            v[half * 3 + i] = small_val(x);
        }
    }
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (v[1] < 1 || v[1] > 12 || v[2] < 1) return false;
    if (v[2] > mdays[v[1] - 1] + (v[1] == 2 && leap(v[0]))) return false;
    return v[3] >= 0 && v[3] < 24 && v[4] >= 0 && v[4] < 60 && v[5] >= 0 && v[5] < 60;
}

static int64_t posix_of(const int64_t v[6]) { return days_from_civil(v[0], v[1], v[2]) * 86400 + v[3] * 3600 + v[4] * 60 + v[5]; }

static Term datetime_from_posix(Process *p, int64_t s)
{
    int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400), rem = s - days * 86400, y, m, d;
    civil_from_days(days, &y, &m, &d);
    return heap_tuple2(p, triple(p, y, m, d), triple(p, rem / 3600, rem / 60 % 60, rem % 60));
}

Term bif_universaltime_to_posixtime_1(Process *p, const Term *args)
{
    int64_t v[6];
    if (!get_datetime(args[0], v)) return bif_error(p, AM_badarg);
    return int_from_i64(p, posix_of(v));
}

Term bif_posixtime_to_universaltime_1(Process *p, const Term *args)
{
    if (!is_small(args[0])) return bif_error(p, AM_badarg);
    int64_t s = small_val(args[0]);
    /* years must stay small integers */
    if (s > INT64_C(1) << 50 || s < -(INT64_C(1) << 50)) return bif_error(p, AM_badarg);
    return datetime_from_posix(p, s);
}

Term bif_universaltime_to_localtime_1(Process *p, const Term *args)
{
    int64_t v[6];
    if (!get_datetime(args[0], v)) return bif_error(p, AM_badarg);
    time_t t = (time_t)posix_of(v);
    struct tm tm;
    if (!localtime_r(&t, &tm)) return args[0];
    return datetime_of(p, &tm);
}

/* IsDst true, false or undefined (let the C library decide), as mktime's tm_isdst. */
static Term local_to_universal(Process *p, const Term *args, Term dst)
{
    int64_t v[6];
    if (!get_datetime(args[0], v) || (dst != AM_true && dst != AM_false && dst != AM_undefined))
        return bif_error(p, AM_badarg);
    struct tm tm = {.tm_year = (int)(v[0] - 1900), .tm_mon = (int)v[1] - 1, .tm_mday = (int)v[2],
                    .tm_hour = (int)v[3], .tm_min = (int)v[4], .tm_sec = (int)v[5],
                    .tm_isdst = dst == AM_true ? 1 : dst == AM_false ? 0 : -1};
    time_t t = mktime(&tm);
    if (t == (time_t)-1 && !(v[0] == 1969 && v[1] == 12 && v[2] == 31)) return args[0];
    return datetime_from_posix(p, (int64_t)t);
}

Term bif_localtime_to_universaltime_1(Process *p, const Term *args) { return local_to_universal(p, args, AM_undefined); }
Term bif_localtime_to_universaltime_2(Process *p, const Term *args) { return local_to_universal(p, args, args[1]); }
