# The reference server for real clients (tlsdiff serve; the default
# profile of serve): an RSA-2048 certificate, TLS 1.2 and 1.3. The suite,
# group and signature algorithm lists are left empty on purpose: the
# engine's default is the whole supported set (issue 4), so every suite,
# group and scheme the RSA key can serve is offered (TLS 1.2: ECDHE_RSA and
# static RSA; ECDHE_ECDSA needs an EC key). No client authentication.
# The client side (tlsdiff connect --profile server-rsa) trusts the root
# CA, so the reference can also talk to itself over TCP.
summary = serve: RSA-2048, TLS 1.2-1.3, every supported suite, group and scheme
versions = 1.2-1.3
server.chain = pki/server-rsa2048.chain.pem
server.key = pki/server-rsa2048.key.pem
client.trust = pki/root-ca.crt.pem
sni = server.tlsdiff.test
