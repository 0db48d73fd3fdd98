/*
 * tlsdiff serve: the reference engine as a TLS server on loopback, so real
 * clients (openssl s_client, gnutls-cli, a browser through a tunnel) can
 * talk to it. Connections are handled one after another until SIGINT or
 * SIGTERM, or until --count connections: for each, one line with the
 * handshake's outcome (td_tcp_summary), application data echoed back, and
 * a close with close_notify.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "td_cli.h"
#include "td_profile.h"
#include "td_tcp.h"

#define DEFAULT_PORT 4433u
#define DEFAULT_PROFILE "server-rsa"
#define DEFAULT_TIMEOUT_S 10u

typedef struct serve_opts {
    uint64_t port;
    uint64_t count;     /* 0: until stopped */
    td_tcp_opts common; /* --profile, --timeout, --seed */
} serve_opts;

/* SIGINT, SIGTERM: the flag, and a byte in a pipe that every wait polls
 * (the self-pipe pattern), so a signal that lands just before a poll()
 * still ends it. */
static volatile sig_atomic_t stop_requested;
static int stop_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
    ssize_t r;

    (void)sig;
    stop_requested = 1;
    r = write(stop_pipe[1], "", 1); /* non-blocking; one byte is enough */
    (void)r;
}

/* The server's state across connections: static, td_tcp is large. */
static td_tcp tcp;
static td_conn_config cfg;
static td_session_cache sessions; /* TLS 1.2 resumption by session_id */

static void serve_usage(FILE *f)
{
    fprintf(f, "usage: tlsdiff serve [--port N] [--profile NAME] [--count N] "
               "[--timeout SECONDS] [--seed N]\n");
}

static int parse_args(serve_opts *o, int argc, char **argv)
{
    int i;

    memset(o, 0, sizeof *o);
    o->port = DEFAULT_PORT;
    o->common.profile = DEFAULT_PROFILE;
    o->common.timeout = DEFAULT_TIMEOUT_S;
    /* every option takes a value */
    for (i = 1; i < argc; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            serve_usage(stdout);
            return 1;
        }
        if (v == NULL) {
            fprintf(stderr, "tlsdiff serve: unknown option or missing value: %s\n", a);
            return -1;
        }
        if (td_tcp_common_option(&o->common, a, v, &bad))
            ;
        else if (strcmp(a, "--port") == 0)
            bad = td_tcp_parse_u64(v, 65535, &o->port);
        else if (strcmp(a, "--count") == 0)
            bad = td_tcp_parse_u64(v, UINT32_MAX, &o->count);
        else {
            fprintf(stderr, "tlsdiff serve: unknown option %s\n", a);
            return -1;
        }
        if (bad) {
            fprintf(stderr, "tlsdiff serve: bad value for %s: %s\n", a, v);
            return -1;
        }
    }
    return 0;
}

/* A listening socket on 127.0.0.1:port (0: any free port); *bound gets the
 * port. -1 on error (printed). */
static int listen_loopback(uint16_t port, uint16_t *bound)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0) {
        fprintf(stderr, "tlsdiff serve: socket: %s\n", strerror(errno));
        return -1;
    }
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 8) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
        fprintf(stderr, "tlsdiff serve: 127.0.0.1:%u: %s\n", (unsigned)port, strerror(errno));
        close(fd);
        return -1;
    }
    *bound = ntohs(a.sin_port);
    return fd;
}

static const char *end_reason(td_tcp_status s)
{
    switch (s) {
    case TD_TCP_CLOSED:
        return "close_notify received";
    case TD_TCP_EOF:
        return "the peer closed without close_notify";
    case TD_TCP_IO:
        return "i/o error or timeout";
    case TD_TCP_STOPPED:
        return "stopped";
    case TD_TCP_TLS:
        return "fatal alert";
    case TD_TCP_OK:
        break;
    }
    return "done";
}

/* Application data the peer sent, echoed back while the connection is
 * open; returns how the connection ended. What arrived with the last
 * handshake bytes is echoed before the first wait. */
static td_tcp_status echo(size_t *received, size_t *echoed)
{
    uint8_t buf[4096];
    td_tcp_status s = TD_TCP_OK;

    for (;;) {
        size_t n;

        for (;;) {
            td_span d;

            td_conn_read_app(&tcp.conn, buf, sizeof buf, &n);
            if (n == 0)
                break;
            *received += n;
            if (tcp.conn.state != TD_ST_CONNECTED)
                continue; /* closed or failed: nothing more is sent */
            d.p = buf;
            d.len = n;
            if (td_conn_write_app(&tcp.conn, d) == TD_OK) {
                *echoed += n;
                if (td_tcp_flush(&tcp) != TD_TCP_OK && s == TD_TCP_OK)
                    s = TD_TCP_IO;
            }
        }
        if (s != TD_TCP_OK)
            return s;
        s = td_tcp_pump(&tcp);
    }
}

/* One connection, start to close. 0 when its handshake succeeded. */
static int handle(unsigned long idx, int fd, const struct sockaddr_in *peer, td_rng *rng,
                  int timeout_ms)
{
    char who[64], line[512];
    td_tcp_status s;
    size_t received = 0, echoed = 0;
    int ok;

    snprintf(who, sizeof who, "[%lu] %s:%u", idx, inet_ntoa(peer->sin_addr),
             (unsigned)ntohs(peer->sin_port));
    if (td_conn_init(&tcp.conn, &cfg, rng) != TD_OK) {
        fprintf(stderr, "tlsdiff serve: %s: engine setup failed\n", who);
        close(fd);
        return -1;
    }
    td_tcp_attach(&tcp, fd, timeout_ms, stop_pipe[0]);
    s = td_tcp_handshake(&tcp);
    ok = s == TD_TCP_OK;
    td_tcp_summary(&tcp.conn, line, sizeof line);
    printf("%s %s\n", who, line);
    fflush(stdout);
    if (!ok) {
        td_tcp_report_failure("tlsdiff serve", &tcp.conn);
        if (s != TD_TCP_TLS)
            fprintf(stderr, "tlsdiff serve: %s: handshake: %s%s%s\n", who, end_reason(s),
                    tcp.io_error[0] ? ": " : "", tcp.io_error);
    } else {
        char alert[64];

        s = echo(&received, &echoed);
        if (s == TD_TCP_TLS)
            td_tcp_report_failure("tlsdiff serve", &tcp.conn);
        td_tcp_alert(&tcp.conn, alert, sizeof alert);
        printf("%s closed: %zu bytes received, %zu echoed, %s, alert=%s\n", who, received, echoed,
               end_reason(s), alert);
        fflush(stdout);
    }
    td_tcp_close(&tcp);
    /* the next connection continues this party's random stream */
    *rng = tcp.conn.rng;
    td_secure_zero(&tcp.conn, sizeof tcp.conn);
    return ok ? 0 : -1;
}

int td_cmd_serve(int argc, char **argv)
{
    serve_opts o;
    td_rng rng;
    struct sigaction sa;
    uint16_t port = 0;
    unsigned long handled = 0, failed = 0;
    FILE *keylog;
    int lfd, r = parse_args(&o, argc, argv);

    if (r != 0) {
        if (r < 0)
            serve_usage(stderr);
        return r < 0 ? 2 : 0;
    }
    if (td_tcp_config("tlsdiff serve", o.common.profile, TD_ROLE_SERVER, &cfg) != 0)
        return 2;
    if (cfg.chain.n == 0 || cfg.key.type == TD_KEY_NONE) {
        fprintf(stderr,
                "tlsdiff serve: profile %s has no server.chain and "
                "server.key\n",
                o.common.profile);
        return 2;
    }
    cfg.session_cache = &sessions;
    keylog = td_tcp_keylog_attach("tlsdiff serve", &cfg);
    td_tcp_rng_init(&rng, &o.common, "server");

    if (pipe(stop_pipe) != 0 ||
        fcntl(stop_pipe[1], F_SETFL, fcntl(stop_pipe[1], F_GETFL) | O_NONBLOCK) != 0) {
        fprintf(stderr, "tlsdiff serve: pipe: %s\n", strerror(errno));
        if (keylog)
            fclose(keylog);
        return 2;
    }
    memset(&sa, 0, sizeof sa);
    /* no SA_RESTART: poll() returns EINTR; no SA_RESETHAND: the same
     * signal may come twice (timeout(1) sends it to the command and to
     * its process group), and the second must not cut the close short */
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    lfd = listen_loopback((uint16_t)o.port, &port);
    if (lfd < 0) {
        if (keylog)
            fclose(keylog);
        return 2;
    }
    printf("listening on 127.0.0.1:%u profile %s\n", (unsigned)port, o.common.profile);
    fflush(stdout);

    while (!stop_requested && (o.count == 0 || handled < o.count)) {
        struct pollfd p[2] = {{lfd, POLLIN, 0}, {stop_pipe[0], POLLIN, 0}};
        struct sockaddr_in peer;
        socklen_t plen = sizeof peer;
        int fd;

        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "tlsdiff serve: poll: %s\n", strerror(errno));
            break;
        }
        if (p[1].revents & POLLIN)
            break; /* stopped */
        fd = accept(lfd, (struct sockaddr *)&peer, &plen);
        if (fd < 0) {
            if (errno != EINTR && errno != ECONNABORTED)
                fprintf(stderr, "tlsdiff serve: accept: %s\n", strerror(errno));
            continue;
        }
        handled++;
        if (handle(handled, fd, &peer, &rng, (int)(o.common.timeout * 1000)) != 0)
            failed++;
    }
    close(lfd);
    close(stop_pipe[0]);
    close(stop_pipe[1]);
    if (keylog)
        fclose(keylog);
    td_secure_zero(&cfg.key, sizeof cfg.key);
    td_secure_zero(&sessions, sizeof sessions);
    printf("stopped: %lu connections, %lu handshakes failed\n", handled, failed);
    fflush(stdout);
    return failed ? 1 : 0;
}
