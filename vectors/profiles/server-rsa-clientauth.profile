# server-rsa with client authentication required (RFC 8446 4.3.2, 4.4.2;
# RFC 5246 7.4.4, 7.4.6): the server trusts the client CA. The client side
# presents client-rsa2048, so `tlsdiff connect --profile
# server-rsa-clientauth` authenticates to `openssl s_server -Verify`.
summary = serve: RSA-2048, TLS 1.2-1.3, client certificate required
versions = 1.2-1.3
client_auth = require
server.chain = pki/server-rsa2048.chain.pem
server.key = pki/server-rsa2048.key.pem
server.trust = pki/client-ca.crt.pem
client.chain = pki/client-rsa2048.chain.pem
client.key = pki/client-rsa2048.key.pem
client.trust = pki/root-ca.crt.pem
sni = server.tlsdiff.test
