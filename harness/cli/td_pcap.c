/*
 * The capture writer (td_pcap.h): frames built into caller storage with
 * td_wr, written one record at a time.
 *
 *   pcap file header (libpcap format, pcap-savefile(5)):
 *     magic 0xa1b2c3d4, version 2.4, thiszone 0, sigfigs 0,
 *     snaplen 65535, network LINKTYPE_ETHERNET (1)
 *   record header: ts_sec, ts_usec, incl_len, orig_len
 *   Ethernet II: destination, source (locally administered addresses),
 *     EtherType 0x0800
 *   RFC 791 3.1: version 4, IHL 5, type of service, total length,
 *     identification, flags and fragment offset, TTL, protocol (6, TCP),
 *     header checksum, source, destination
 *   RFC 9293 3.1: source port, destination port, sequence number,
 *     acknowledgment number, data offset 5, flags, window, checksum,
 *     urgent pointer
 */
#include "td_pcap.h"

#include <string.h>

#define ETH_LEN 14
#define IP_LEN 20
#define TCP_LEN 20
#define CLIENT 0
#define SERVER 1

static const uint8_t client_ip[4] = {127, 0, 0, 1};
static const uint8_t server_ip[4] = {127, 0, 0, 2};
/* 02:...: locally administered unicast (IEEE 802 48-bit addresses) */
static const uint8_t client_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t server_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
/* The initial sequence numbers: fixed, so the file is the same on each
 * run (RFC 9293 3.4.1 wants them unpredictable on a real network). */
static const uint32_t isn[2] = {0x10000000u, 0x20000000u};

uint32_t td_inet_sum(uint32_t sum, const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i + 1 < n; i += 2) {
        sum += (uint32_t)p[i] << 8 | p[i + 1];
        sum = (sum & 0xffff) + (sum >> 16); /* RFC 1071 4.1: end-around carry */
    }
    if (n & 1) {
        sum += (uint32_t)p[n - 1] << 8;
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum;
}

uint16_t td_inet_checksum(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static td_err write_headers(td_wr *w, const td_pcap_seg *s)
{
    int to_server = memcmp(s->dst_ip, server_ip, 4) == 0;

    TRY(td_wr_bytes(w, to_server ? server_mac : client_mac, 6));
    TRY(td_wr_bytes(w, to_server ? client_mac : server_mac, 6));
    TRY(td_wr_u16(w, 0x0800));
    TRY(td_wr_u8(w, 0x45));                                      /* version 4, IHL 5 */
    TRY(td_wr_u8(w, 0));                                         /* type of service */
    TRY(td_wr_u16(w, (uint32_t)(IP_LEN + TCP_LEN + s->payload.len)));
    TRY(td_wr_u16(w, s->ip_id));
    TRY(td_wr_u16(w, 0x4000));                                   /* DF, offset 0 */
    TRY(td_wr_u8(w, 64));                                        /* TTL */
    TRY(td_wr_u8(w, 6));                                         /* TCP */
    TRY(td_wr_u16(w, 0));                                        /* checksum, below */
    TRY(td_wr_bytes(w, s->src_ip, 4));
    TRY(td_wr_bytes(w, s->dst_ip, 4));
    TRY(td_wr_u16(w, s->src_port));
    TRY(td_wr_u16(w, s->dst_port));
    TRY(td_wr_u32(w, s->seq));
    TRY(td_wr_u32(w, s->flags & TD_TCP_ACK ? s->ack : 0));
    TRY(td_wr_u8(w, 5 << 4));                                    /* data offset 5 */
    TRY(td_wr_u8(w, s->flags));
    TRY(td_wr_u16(w, 65535));                                    /* window */
    TRY(td_wr_u16(w, 0));                                        /* checksum, below */
    return td_wr_u16(w, 0);                                      /* urgent pointer */
}

td_err td_pcap_frame(const td_pcap_seg *s, uint8_t *out, size_t cap, size_t *len)
{
    uint8_t pseudo[12];
    uint8_t *ip = out + ETH_LEN, *tcp = ip + IP_LEN;
    size_t seg_len = TCP_LEN + s->payload.len;
    td_wr w;
    uint32_t sum;

    ENSURE(s->payload.len <= TD_PCAP_MSS, TD_ERR_INTERNAL);
    td_wr_init(&w, out, cap);
    TRY(write_headers(&w, s));
    TRY(td_wr_span(&w, s->payload));
    /* RFC 791 3.1: the checksum of the header alone */
    put16(ip + 10, td_inet_checksum(td_inet_sum(0, ip, IP_LEN)));
    /* RFC 9293 3.1: the pseudo-header (source, destination, zero,
     * protocol, TCP length), then the header and the data */
    memcpy(pseudo, s->src_ip, 4);
    memcpy(pseudo + 4, s->dst_ip, 4);
    pseudo[8] = 0;
    pseudo[9] = 6;
    put16(pseudo + 10, (uint16_t)seg_len);
    sum = td_inet_sum(td_inet_sum(0, pseudo, sizeof pseudo), tcp, seg_len);
    put16(tcp + 16, td_inet_checksum(sum));
    *len = td_wr_len(&w);
    return TD_OK;
}

/* The pcap headers are written little-endian; the magic tells readers. */
static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

td_err td_pcap_file_begin(FILE *f)
{
    uint8_t h[24];

    put_le32(h, 0xa1b2c3d4u);
    put_le32(h + 4, 2u | 4u << 16); /* version_major 2, version_minor 4 */
    put_le32(h + 8, 0);             /* thiszone */
    put_le32(h + 12, 0);            /* sigfigs */
    put_le32(h + 16, 65535);        /* snaplen */
    put_le32(h + 20, TD_PCAP_LINKTYPE_ETHERNET);
    ENSURE(fwrite(h, 1, sizeof h, f) == sizeof h, TD_ERR_IO);
    ENSURE(fflush(f) == 0, TD_ERR_IO);
    return TD_OK;
}

/* One packet of stream s from `from` (CLIENT or SERVER). */
static td_err put_packet(td_pcap_stream *s, int from, uint8_t flags, uint32_t seq, uint32_t ack,
                         td_span payload)
{
    uint8_t frame[16 + TD_PCAP_FRAME_MAX];
    td_pcap_seg seg;
    size_t n;

    seg.src_ip = from == CLIENT ? client_ip : server_ip;
    seg.dst_ip = from == CLIENT ? server_ip : client_ip;
    seg.src_port = from == CLIENT ? s->client_port : TD_PCAP_SERVER_PORT;
    seg.dst_port = from == CLIENT ? TD_PCAP_SERVER_PORT : s->client_port;
    seg.seq = seq;
    seg.ack = ack;
    seg.flags = flags;
    seg.ip_id = s->packets++;
    seg.payload = payload;
    TRY(td_pcap_frame(&seg, frame + 16, sizeof frame - 16, &n));
    put_le32(frame, s->ts_sec);
    put_le32(frame + 4, s->ts_usec);
    if (++s->ts_usec == 1000000) {
        s->ts_sec++;
        s->ts_usec = 0;
    }
    put_le32(frame + 8, (uint32_t)n);  /* incl_len */
    put_le32(frame + 12, (uint32_t)n); /* orig_len */
    ENSURE(fwrite(frame, 1, 16 + n, s->f) == 16 + n, TD_ERR_IO);
    return TD_OK;
}

/* The end of each call: the first error sticks. */
static td_err settle(td_pcap_stream *s, td_err e)
{
    if (e == TD_OK && fflush(s->f) != 0)
        e = TD_ERR_IO;
    if (s->err == TD_OK)
        s->err = e;
    return e;
}

td_err td_pcap_stream_open(td_pcap_stream *s, FILE *f, uint16_t client_port, uint32_t ts_sec)
{
    td_span none = {NULL, 0};
    td_err e;

    memset(s, 0, sizeof *s);
    s->f = f;
    s->client_port = client_port;
    s->ts_sec = ts_sec;
    /* RFC 9293 3.5: SYN, SYN+ACK, ACK; each SYN takes one number */
    e = put_packet(s, CLIENT, TD_TCP_SYN, isn[CLIENT], 0, none);
    if (e == TD_OK)
        e = put_packet(s, SERVER, TD_TCP_SYN | TD_TCP_ACK, isn[SERVER], isn[CLIENT] + 1, none);
    s->next_seq[CLIENT] = isn[CLIENT] + 1;
    s->next_seq[SERVER] = isn[SERVER] + 1;
    if (e == TD_OK)
        e = put_packet(s, CLIENT, TD_TCP_ACK, s->next_seq[CLIENT], s->next_seq[SERVER], none);
    s->open = e == TD_OK;
    return settle(s, e);
}

td_err td_pcap_stream_data(td_pcap_stream *s, int from_client, td_span bytes)
{
    int from = from_client ? CLIENT : SERVER;
    td_err e = TD_OK;
    td_rd rd;

    ENSURE(s->err == TD_OK, s->err);
    ENSURE(s->open, TD_ERR_INTERNAL);
    td_rd_init_span(&rd, bytes);
    while (e == TD_OK && td_rd_left(&rd) > 0) {
        size_t left = td_rd_left(&rd);
        td_span piece = {NULL, 0};

        e = td_rd_span(&rd, left < TD_PCAP_MSS ? left : TD_PCAP_MSS, &piece);
        if (e == TD_OK)
            e = put_packet(s, from, TD_TCP_PSH | TD_TCP_ACK, s->next_seq[from],
                           s->next_seq[!from], piece);
        /* RFC 9293 3.4: sequence numbers count bytes, modulo 2^32 */
        s->next_seq[from] += (uint32_t)piece.len;
    }
    return settle(s, e);
}

td_err td_pcap_stream_close(td_pcap_stream *s)
{
    td_span none = {NULL, 0};
    uint32_t *next = s->next_seq;
    td_err e;

    ENSURE(s->err == TD_OK, s->err);
    ENSURE(s->open, TD_ERR_INTERNAL);
    s->open = 0;
    /* RFC 9293 3.6: each FIN takes one sequence number */
    e = put_packet(s, CLIENT, TD_TCP_FIN | TD_TCP_ACK, next[CLIENT], next[SERVER], none);
    if (e == TD_OK)
        e = put_packet(s, SERVER, TD_TCP_FIN | TD_TCP_ACK, next[SERVER], next[CLIENT] + 1, none);
    if (e == TD_OK)
        e = put_packet(s, CLIENT, TD_TCP_ACK, next[CLIENT] + 1, next[SERVER] + 1, none);
    next[CLIENT]++;
    next[SERVER]++;
    return settle(s, e);
}
