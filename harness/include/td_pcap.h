/*
 * td_pcap: a conversation of the scripted peer and a subject written as a
 * packet capture (tlsdiff replay --pcap), so that Wireshark or tshark
 * dissects it as TLS, and decrypts it with the key log of the same run.
 *
 * The file is the classic libpcap format (magic 0xa1b2c3d4, version 2.4,
 * written little-endian; readers take the byte order from the magic),
 * LINKTYPE_ETHERNET. Each conversation is one synthetic TCP connection
 * over IPv4 (RFC 791, RFC 9293): the TLS client on 127.0.0.1:port, the
 * server on 127.0.0.2:443 (the TLS port, so no decode-as is needed), a
 * three-way handshake, the bytes of each direction as segments of at most
 * TD_PCAP_MSS with the sequence and acknowledgement numbers they would
 * have, and FIN from both sides at the end. The IPv4 header checksum and
 * the TCP checksum (RFC 1071 sums; the TCP one over the RFC 9293 3.1
 * pseudo-header) are computed. Timestamps are synthetic (the stream's
 * number in seconds, one microsecond per packet), so the same replay
 * writes the same file.
 */
#ifndef TD_PCAP_H
#define TD_PCAP_H

#include "td_bytes.h"

#include <stdio.h>

/* TCP flags (RFC 9293 3.1) */
#define TD_TCP_FIN 0x01
#define TD_TCP_SYN 0x02
#define TD_TCP_PSH 0x08
#define TD_TCP_ACK 0x10

#define TD_PCAP_LINKTYPE_ETHERNET 1
#define TD_PCAP_SERVER_PORT 443
/* an Ethernet payload of 1500 bytes less the IPv4 and TCP headers */
#define TD_PCAP_MSS 1460
#define TD_PCAP_FRAME_MAX (14 + 20 + 20 + TD_PCAP_MSS)

/* RFC 1071 2: the one's complement sum of p[0..n) as big-endian 16-bit
 * words (an odd last byte padded with zero), added to sum and folded
 * to 16 bits. Chain calls to sum over several pieces of even length. */
uint32_t td_inet_sum(uint32_t sum, const uint8_t *p, size_t n);
/* The checksum field: the one's complement of the folded sum. */
uint16_t td_inet_checksum(uint32_t sum);

/* One TCP segment of a conversation. */
typedef struct td_pcap_seg {
    const uint8_t *src_ip, *dst_ip; /* 4 bytes each */
    uint16_t src_port, dst_port;
    uint32_t seq, ack;
    uint8_t flags;    /* TD_TCP_* */
    uint16_t ip_id;   /* IPv4 identification */
    td_span payload;  /* at most TD_PCAP_MSS bytes */
} td_pcap_seg;

/* The Ethernet frame carrying s: Ethernet II, IPv4 (no options, DF, TTL
 * 64), TCP (no options, window 65535), the payload; both checksums set. */
TD_MUST_USE td_err td_pcap_frame(const td_pcap_seg *s, uint8_t *out, size_t cap, size_t *len);

/* The file header (24 bytes) at the start of f. */
TD_MUST_USE td_err td_pcap_file_begin(FILE *f);

/* One TCP connection being written. */
typedef struct td_pcap_stream {
    FILE *f;
    uint16_t client_port;
    uint32_t next_seq[2]; /* the next sequence number: [0] client, [1] server */
    uint32_t ts_sec, ts_usec;
    uint16_t packets;     /* the IPv4 identification of the next packet */
    int open;
    td_err err;           /* the first failure; later calls write nothing */
} td_pcap_stream;

/* Start a connection from 127.0.0.1:client_port: SYN, SYN+ACK, ACK,
 * stamped from ts_sec. Each call flushes f, so what was written survives
 * a crash of the process. */
TD_MUST_USE td_err td_pcap_stream_open(td_pcap_stream *s, FILE *f, uint16_t client_port,
                                       uint32_t ts_sec);
/* bytes sent by the client (from_client 1) or the server. */
TD_MUST_USE td_err td_pcap_stream_data(td_pcap_stream *s, int from_client, td_span bytes);
/* FIN+ACK from the client, FIN+ACK from the server, ACK. */
TD_MUST_USE td_err td_pcap_stream_close(td_pcap_stream *s);

#endif
