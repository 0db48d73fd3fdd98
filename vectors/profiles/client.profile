# The reference client for real servers (the default profile of tlsdiff
# connect): TLS 1.2 and 1.3, the engine's default lists (every supported
# suite, group and scheme, issue 4), no client certificate. It trusts the
# test root CA and sends the server certificates' name as SNI
# (server.tlsdiff.test: the vectors/pki server certificates name it, with
# localhost and 127.0.0.1; an IP address cannot be sent as SNI, RFC 6066 3).
summary = connect: TLS 1.2-1.3, every supported suite, trusts the test root CA
versions = 1.2-1.3
client.trust = pki/root-ca.crt.pem
sni = server.tlsdiff.test
