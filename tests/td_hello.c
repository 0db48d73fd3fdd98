#include "td_hello.h"

#include <string.h>


static bool skip(size_t *off, size_t n, size_t end)
{
    if (*off + n > end)
        return false;
    *off += n;
    return true;
}

static bool vec(const uint8_t *p, size_t *off, size_t width, size_t end)
{
    size_t n = 0, i;

    if (*off + width > end)
        return false;
    for (i = 0; i < width; i++)
        n = n << 8 | p[*off + i];
    *off += width;
    return skip(off, n, end);
}

bool td_hello_view_parse(const uint8_t *rec, size_t len, td_hello_view *v)
{
    size_t off = 9, end, ext_end; /* record header 5 + handshake header 4 */
    bool client;

    memset(v, 0, sizeof v[0]);
    if (len < 9 + 2 + 32 || rec[0] != 22)
        return false;
    client = rec[5] == 1;
    end = 9 + ((size_t)rec[6] << 16 | (size_t)rec[7] << 8 | rec[8]);
    if (end > len)
        return false;
    v->legacy_version = (uint16_t)(rec[off] << 8 | rec[off + 1]);
    v->random = rec + off + 2;
    off += 34;
    if (!vec(rec, &off, 1, end)) /* legacy_session_id */
        return false;
    if (client) {
        if (!vec(rec, &off, 2, end) || !vec(rec, &off, 1, end)) /* suites, compression */
            return false;
    } else if (!skip(&off, 3, end)) { /* cipher_suite, compression_method */
        return false;
    }
    if (off == end)
        return true; /* no extensions (RFC 5246 7.4.1.2) */
    if (off + 2 > end)
        return false;
    ext_end = off + 2 + ((size_t)rec[off] << 8 | rec[off + 1]);
    off += 2;
    if (ext_end != end)
        return false;
    while (off < ext_end) {
        if (off + 4 > ext_end || v->n_ext == sizeof v->ext_type / sizeof v->ext_type[0])
            return false;
        v->ext_type[v->n_ext++] = (uint16_t)(rec[off] << 8 | rec[off + 1]);
        off += 2;
        if (!vec(rec, &off, 2, ext_end))
            return false;
    }
    return true;
}

bool td_hello_has_ext(const td_hello_view *v, uint16_t type)
{
    size_t i;

    for (i = 0; i < v->n_ext; i++)
        if (v->ext_type[i] == type)
            return true;
    return false;
}
