/*
 * The reference engine over TCP (td_tcp.h). The engine does no I/O: this
 * file moves bytes between it and a socket. Every wait is a poll() with
 * the caller's timeout, so a silent peer cannot hang serve or connect.
 */
#define _POSIX_C_SOURCE 200809L

#include "td_tcp.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "td_names.h"
#include "td_ref_config.h"

#define IO_CHUNK 16384u
/* After our close_notify: how long to wait for the peer to close. */
#define CLOSE_LINGER_MS 1000

void td_tcp_attach(td_tcp *t, int fd, int timeout_ms, int stop_fd)
{
    t->fd = fd;
    t->timeout_ms = timeout_ms;
    t->stop_fd = stop_fd;
    t->io_error[0] = '\0';
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* poll() for `events` until the deadline, or until stop_fd is readable
 * (polled with the socket, so a stop requested just before the wait is
 * not missed); a signal alone does not cut the wait short. 1 ready,
 * 0 timeout, -1 error, -2 stopped. */
static int wait_fd(td_tcp *t, short events, int timeout_ms)
{
    int64_t deadline = now_ms() + timeout_ms;

    for (;;) {
        struct pollfd p[2] = {{t->fd, events, 0}, {t->stop_fd, POLLIN, 0}};
        int64_t left = deadline - now_ms();
        int r;

        if (left < 0)
            left = 0;
        r = poll(p, 2, (int)left); /* a negative fd is ignored */
        if (r > 0 && t->stop_fd >= 0 && (p[1].revents & POLLIN))
            return -2;
        if (r > 0)
            return 1;
        if (r == 0)
            return 0;
        if (errno != EINTR) {
            snprintf(t->io_error, sizeof t->io_error, "poll: %s", strerror(errno));
            return -1;
        }
    }
}

static td_tcp_status write_all(td_tcp *t, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w;
        int r = wait_fd(t, POLLOUT, t->timeout_ms);

        if (r == -2)
            return TD_TCP_STOPPED;
        if (r == 0)
            snprintf(t->io_error, sizeof t->io_error, "timed out writing after %d ms",
                     t->timeout_ms);
        if (r <= 0)
            return TD_TCP_IO;
        w = send(t->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            snprintf(t->io_error, sizeof t->io_error, "send: %s", strerror(errno));
            return TD_TCP_IO;
        }
        p += w;
        n -= (size_t)w;
    }
    return TD_TCP_OK;
}

td_tcp_status td_tcp_flush(td_tcp *t)
{
    uint8_t buf[IO_CHUNK];
    size_t n;

    while (td_conn_pending(&t->conn) > 0) {
        td_tcp_status s;

        td_conn_drain(&t->conn, buf, sizeof buf, &n);
        s = write_all(t, buf, n);
        if (s != TD_TCP_OK)
            return s;
    }
    return TD_TCP_OK;
}

static td_tcp_status conn_status(const td_tcp *t)
{
    if (t->conn.state == TD_ST_FAILED)
        return TD_TCP_TLS;
    if (t->conn.state == TD_ST_CLOSED)
        return TD_TCP_CLOSED;
    return TD_TCP_OK;
}

td_tcp_status td_tcp_pump(td_tcp *t)
{
    uint8_t buf[IO_CHUNK];
    td_span in;
    ssize_t n;
    td_tcp_status s;
    int r = wait_fd(t, POLLIN, t->timeout_ms);

    if (r == -2)
        return TD_TCP_STOPPED;
    if (r == 0)
        snprintf(t->io_error, sizeof t->io_error, "timed out waiting for the peer after %d ms",
                 t->timeout_ms);
    if (r <= 0)
        return TD_TCP_IO;
    do
        n = recv(t->fd, buf, sizeof buf, 0);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        snprintf(t->io_error, sizeof t->io_error, "recv: %s", strerror(errno));
        return TD_TCP_IO;
    }
    if (n == 0) {
        snprintf(t->io_error, sizeof t->io_error, "the peer closed the connection");
        return TD_TCP_EOF;
    }
    in.p = buf;
    in.len = (size_t)n;
    /* A failure is in the connection's state; its alert is queued. */
    if (td_conn_feed(&t->conn, in) != TD_OK && t->conn.state != TD_ST_FAILED)
        snprintf(t->io_error, sizeof t->io_error, "engine: %s", td_err_name(t->conn.failure.err));
    s = td_tcp_flush(t);
    if (s != TD_TCP_OK && conn_status(t) == TD_TCP_OK)
        return s;
    return conn_status(t);
}

td_tcp_status td_tcp_handshake(td_tcp *t)
{
    td_tcp_status s;

    /* A failure is in the connection's state (conn_status). */
    if (td_conn_start(&t->conn) != TD_OK && t->conn.state != TD_ST_FAILED)
        return TD_TCP_TLS;
    for (;;) {
        s = td_tcp_flush(t);
        if (conn_status(t) != TD_TCP_OK)
            return conn_status(t);
        if (s != TD_TCP_OK)
            return s;
        if (t->conn.state == TD_ST_CONNECTED)
            return TD_TCP_OK;
        s = td_tcp_pump(t);
        if (s != TD_TCP_OK)
            return s;
    }
}

void td_tcp_close(td_tcp *t)
{
    const td_conn *c = &t->conn;
    uint8_t buf[IO_CHUNK];

    if (t->fd < 0)
        return;
    /* A stop request ends the waits for the peer, not the close itself
     * (still bounded by the timeouts). */
    t->stop_fd = -1;
    /* RFC 8446 6.1, RFC 5246 7.2.1: each party sends close_notify before
     * closing its write side (and answers the peer's with its own). */
    if (c->state != TD_ST_FAILED && c->sent_alert != 1 + TD_ALERT_CLOSE_NOTIFY &&
        td_conn_close(&t->conn) != TD_OK)
        snprintf(t->io_error, sizeof t->io_error, "close_notify not sent");
    (void)td_tcp_flush(t);
    (void)shutdown(t->fd, SHUT_WR);
    /* Read (and drop) until the peer closes, so closing with unread bytes
     * does not reset the connection under our last records. */
    for (;;) {
        ssize_t n;

        if (wait_fd(t, POLLIN, CLOSE_LINGER_MS) != 1)
            break;
        n = recv(t->fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
    }
    close(t->fd);
    t->fd = -1;
}

static const char *name_or_dash(td_names_kind kind, uint16_t code)
{
    return code ? td_name_or_hex(kind, code) : "-";
}

void td_tcp_alert(const td_conn *c, char *out, size_t cap)
{
    int failed = c->state == TD_ST_FAILED;

    snprintf(out, cap, "none");
    if (failed && c->sent_alert && c->sent_alert_level == TD_ALERT_LEVEL_FATAL)
        snprintf(out, cap, "sent:%s", td_err_name(c->sent_alert - 1));
    else if (failed && c->received_alert)
        snprintf(out, cap, "received:%s", td_err_name(c->received_alert - 1));
}

void td_tcp_summary(const td_conn *c, char *out, size_t cap)
{
    const td_conn_params *p = &c->params;
    int failed = c->state == TD_ST_FAILED;
    char alert[64];
    const char *group = name_or_dash(TD_NAMES_GROUP, p->group);

    /* static RSA: no key exchange group */
    if (!failed && p->group == 0 && p->cipher_suite != 0)
        group = "none";
    td_tcp_alert(c, alert, sizeof alert);
    snprintf(out, cap,
             "handshake %s version=%s suite=%s group=%s sig=%s resumed=%s "
             "client_auth=%s alert=%s",
             failed ? "failed" : "ok", name_or_dash(TD_NAMES_VERSION, p->version),
             name_or_dash(TD_NAMES_SUITE, p->cipher_suite), group,
             name_or_dash(TD_NAMES_SIGSCHEME, p->sig_scheme), p->resumed ? "yes" : "no",
             p->client_auth ? "yes" : "no", alert);
}

void td_tcp_report_failure(const char *who, const td_conn *c)
{
    const td_conn_failure *f = &c->failure;

    if (f->err == TD_OK)
        return;
    fprintf(stderr, "%s: %s at %s:%d: %s\n", who, td_err_name(f->err), f->file ? f->file : "?",
            f->line, f->why);
}

static void put_hex(FILE *f, const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
}

void td_tcp_keylog(void *ctx, const char *label, const uint8_t *client_random, td_span secret)
{
    FILE *f = ctx;

    fprintf(f, "%s ", label);
    put_hex(f, client_random, TD_RANDOM_LEN);
    fputc(' ', f);
    put_hex(f, secret.p, secret.len);
    fputc('\n', f);
    fflush(f);
}

FILE *td_tcp_keylog_attach(const char *who, td_conn_config *cfg)
{
    const char *path = getenv("SSLKEYLOGFILE");
    FILE *f;

    if (path == NULL || path[0] == '\0')
        return NULL;
    f = fopen(path, "a");
    if (f == NULL) {
        fprintf(stderr, "%s: SSLKEYLOGFILE %s: %s (no key log)\n", who, path, strerror(errno));
        return NULL;
    }
    cfg->keylog = td_tcp_keylog;
    cfg->keylog_ctx = f;
    return f;
}

int td_tcp_common_option(td_tcp_opts *o, const char *a, const char *v, int *bad)
{
    if (strcmp(a, "--profile") == 0) {
        o->profile = v;
    } else if (strcmp(a, "--timeout") == 0) {
        *bad = td_tcp_parse_u64(v, 3600, &o->timeout) || o->timeout == 0;
    } else if (strcmp(a, "--seed") == 0) {
        *bad = td_tcp_parse_u64(v, UINT64_MAX, &o->seed);
        o->seed_set = 1;
    } else {
        return 0;
    }
    return 1;
}

int td_tcp_config(const char *who, const char *name, td_role role, td_conn_config *cfg)
{
    td_profile profile;
    char why[512] = "";

    if (td_profile_load(&profile, name, why, sizeof why) != TD_OK) {
        fprintf(stderr, "%s: %s\n", who, why);
        return -1;
    }
    if (td_ref_config_from_profile(&profile, role, (uint64_t)time(NULL), cfg, why, sizeof why) !=
        TD_OK) {
        fprintf(stderr, "%s: profile %s: %s\n", who, name, why);
        return -1;
    }
    return 0;
}

/* 64 bits from the system's random source. */
static uint64_t random_seed(void)
{
    uint8_t b[8] = {0};
    uint64_t seed = 0;
    size_t i;
    FILE *f = fopen("/dev/urandom", "rb");

    if (f == NULL || fread(b, 1, sizeof b, f) != sizeof b) {
        /* no system source: the time and pid still differ per run */
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        seed =
            (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
    }
    if (f != NULL)
        fclose(f);
    for (i = 0; i < sizeof b; i++)
        seed = (seed << 8) ^ b[i] ^ (seed >> 56);
    return seed;
}

void td_tcp_rng_init(td_rng *rng, const td_tcp_opts *o, const char *party)
{
    td_rng_init(rng, o->seed_set ? o->seed : random_seed(), party);
}

int td_tcp_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > max)
        return -1;
    *out = v;
    return 0;
}
