/*
 * tlsdiff connect: the reference engine as a TLS client over TCP. It runs
 * the handshake, prints the one-line summary (td_tcp_summary), sends the
 * --send text followed by a newline (line-oriented test servers such as
 * `openssl s_server -rev` answer a line), prints what comes back, and
 * closes with close_notify.
 *
 * Exit status: 0 the handshake succeeded and the text was sent (and an
 * answer came back); 1 the handshake failed (the alert is in the summary
 * line, the engine's reason on stderr), or the connection failed later;
 * 2 a usage, network or timeout error.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "td_cli.h"
#include "td_profile.h"
#include "td_tcp.h"

#define DEFAULT_PROFILE "client"
#define DEFAULT_TEXT "ping"
#define DEFAULT_TIMEOUT_S 10u
#define MAX_TEXT 4096u

typedef struct connect_opts {
    char host[256];
    char port[16];
    const char *text;
    td_tcp_opts common; /* --profile, --timeout, --seed */
} connect_opts;

static td_tcp tcp; /* large: static storage */
static td_conn_config cfg;
static td_session_cache sessions;

static void connect_usage(FILE *f)
{
    fprintf(f, "usage: tlsdiff connect HOST:PORT [--profile NAME] [--send TEXT] "
               "[--timeout SECONDS] [--seed N]\n");
}

/* HOST:PORT or [HOST]:PORT (IPv6). */
static int split_target(connect_opts *o, const char *t)
{
    const char *colon = strrchr(t, ':');
    const char *h = t;
    size_t hl;
    uint64_t port;

    if (colon == NULL || td_tcp_parse_u64(colon + 1, 65535, &port) != 0 || port == 0)
        return -1;
    hl = (size_t)(colon - t);
    if (hl >= 2 && t[0] == '[' && t[hl - 1] == ']') {
        h = t + 1;
        hl -= 2;
    }
    if (hl == 0 || hl >= sizeof o->host)
        return -1;
    memcpy(o->host, h, hl);
    o->host[hl] = '\0';
    snprintf(o->port, sizeof o->port, "%u", (unsigned)port);
    return 0;
}

static int parse_args(connect_opts *o, int argc, char **argv)
{
    int i, have_target = 0;

    memset(o, 0, sizeof *o);
    o->common.profile = DEFAULT_PROFILE;
    o->text = DEFAULT_TEXT;
    o->common.timeout = DEFAULT_TIMEOUT_S;
    i = 1;
    while (i < argc) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            connect_usage(stdout);
            return 1;
        }
        if (strncmp(a, "--", 2) != 0) {
            if (have_target || split_target(o, a) != 0) {
                fprintf(stderr, "tlsdiff connect: bad target %s (HOST:PORT)\n", a);
                return -1;
            }
            have_target = 1;
            i++;
            continue;
        }
        if (v == NULL) {
            fprintf(stderr, "tlsdiff connect: unknown option or missing value: %s\n", a);
            return -1;
        }
        if (td_tcp_common_option(&o->common, a, v, &bad))
            ;
        else if (strcmp(a, "--send") == 0)
            bad = strlen(v) > MAX_TEXT;
        else {
            fprintf(stderr, "tlsdiff connect: unknown option %s\n", a);
            return -1;
        }
        if (bad) {
            fprintf(stderr, "tlsdiff connect: bad value for %s\n", a);
            return -1;
        }
        if (strcmp(a, "--send") == 0)
            o->text = v;
        i += 2;
    }
    if (!have_target) {
        fprintf(stderr, "tlsdiff connect: no HOST:PORT\n");
        return -1;
    }
    return 0;
}

/* A connected socket, each address tried with a bounded wait; -1 on error
 * (printed). */
static int dial(const connect_opts *o)
{
    struct addrinfo hints, *res = NULL, *ai;
    int fd = -1, err;
    char last[160] = "no address";

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    err = getaddrinfo(o->host, o->port, &hints, &res);
    if (err != 0) {
        fprintf(stderr, "tlsdiff connect: %s: %s\n", o->host, gai_strerror(err));
        return -1;
    }
    for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
        struct pollfd p;
        int flags, soerr = 0;
        socklen_t sl = sizeof soerr;

        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0)
            continue;
        flags = fcntl(fd, F_GETFL);
        (void)fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            if (errno != EINPROGRESS) {
                snprintf(last, sizeof last, "%s", strerror(errno));
                close(fd);
                fd = -1;
                continue;
            }
            p.fd = fd;
            p.events = POLLOUT;
            p.revents = 0;
            if (poll(&p, 1, (int)(o->common.timeout * 1000)) != 1 ||
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr != 0) {
                snprintf(last, sizeof last, "%s", soerr ? strerror(soerr) : "timed out");
                close(fd);
                fd = -1;
                continue;
            }
        }
        (void)fcntl(fd, F_SETFL, flags); /* blocking again; waits use poll */
    }
    freeaddrinfo(res);
    if (fd < 0)
        fprintf(stderr, "tlsdiff connect: %s:%s: %s\n", o->host, o->port, last);
    return fd;
}

/* Print bytes as text, escaping what is not printable ASCII; a trailing
 * newline is dropped. */
static void print_text(const uint8_t *p, size_t n)
{
    size_t i;

    if (n > 0 && p[n - 1] == '\n')
        n--;
    for (i = 0; i < n; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
            putchar(p[i]);
        else
            printf("\\x%02x", p[i]);
    }
    putchar('\n');
}

/* Send the text and a newline; read until as many bytes came back, the
 * peer closed, or the wait timed out (what came with the handshake's
 * last bytes counts). */
static td_tcp_status exchange(const char *text, uint8_t *got, size_t cap, size_t *got_len)
{
    uint8_t msg[MAX_TEXT + 1];
    size_t n = strlen(text);
    td_span d = {msg, n + 1};
    td_tcp_status s;

    memcpy(msg, text, n);
    msg[n] = '\n';
    *got_len = 0;
    if (td_conn_write_app(&tcp.conn, d) != TD_OK)
        return TD_TCP_TLS;
    s = td_tcp_flush(&tcp);
    for (;;) {
        size_t k;

        td_conn_read_app(&tcp.conn, got + *got_len, cap - *got_len, &k);
        *got_len += k;
        if (s != TD_TCP_OK || *got_len >= d.len)
            return s;
        s = td_tcp_pump(&tcp);
    }
}

int td_cmd_connect(int argc, char **argv)
{
    static uint8_t got[TD_CONN_APP_MAX];
    connect_opts o;
    td_rng rng;
    char line[512];
    size_t got_len = 0;
    td_tcp_status s;
    FILE *keylog;
    int fd, rc, r = parse_args(&o, argc, argv);

    if (r != 0) {
        if (r < 0)
            connect_usage(stderr);
        return r < 0 ? 2 : 0;
    }
    if (td_tcp_config("tlsdiff connect", o.common.profile, TD_ROLE_CLIENT, &cfg) != 0)
        return 2;
    cfg.session_cache = &sessions;
    fd = dial(&o);
    if (fd < 0)
        return 2;
    keylog = td_tcp_keylog_attach("tlsdiff connect", &cfg);
    td_tcp_rng_init(&rng, &o.common, "client");
    if (td_conn_init(&tcp.conn, &cfg, &rng) != TD_OK) {
        fprintf(stderr, "tlsdiff connect: engine setup failed\n");
        close(fd);
        return 2;
    }
    td_tcp_attach(&tcp, fd, (int)(o.common.timeout * 1000), -1);

    s = td_tcp_handshake(&tcp);
    td_tcp_summary(&tcp.conn, line, sizeof line);
    printf("%s\n", line);
    fflush(stdout);
    if (s == TD_TCP_OK)
        s = exchange(o.text, got, sizeof got, &got_len);
    if (got_len > 0) {
        printf("received: ");
        print_text(got, got_len);
    }
    if (s == TD_TCP_OK || (s == TD_TCP_CLOSED && got_len > 0)) {
        rc = 0;
    } else if (s == TD_TCP_IO && got_len > 0) {
        rc = 0; /* an answer shorter than the text, then silence */
    } else if (s == TD_TCP_IO) {
        fprintf(stderr, "tlsdiff connect: %s\n", tcp.io_error);
        rc = 2;
    } else {
        char alert[64];

        td_tcp_alert(&tcp.conn, alert, sizeof alert);
        if (strncmp(line, "handshake ok", 12) == 0)
            printf("connection failed after the handshake: alert=%s\n", alert);
        td_tcp_report_failure("tlsdiff connect", &tcp.conn);
        if (s != TD_TCP_TLS)
            fprintf(stderr, "tlsdiff connect: %s\n",
                    s == TD_TCP_CLOSED ? "the peer sent close_notify" : tcp.io_error);
        rc = 1;
    }
    fflush(stdout);
    td_tcp_close(&tcp);
    if (keylog)
        fclose(keylog);
    td_secure_zero(&tcp.conn, sizeof tcp.conn);
    td_secure_zero(&cfg.key, sizeof cfg.key);
    td_secure_zero(&sessions, sizeof sessions);
    return rc;
}
