"""Verify Portcullis access tokens in a Python service with PyJWT (2.6 or later, with cryptography).

Use AccessTokenVerifier in your service. Run as a script, it verifies one token and prints its
claims as JSON, or why it was refused (exit status 1):

    python3 verify_with_pyjwt.py --issuer https://auth.example.com --audience portcullis \\
        --jwks-uri https://auth.example.com/.well-known/jwks.json --algorithm ES256 "$TOKEN"
"""

import argparse
import json
import sys

import jwt

# RFC 9068 section 2.2 requires these; tid and scope are what a service of a Portcullis tenant
# decides with.
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub", "client_id", "jti", "tid", "scope"]


class AccessTokenVerifier:
    """Make one at start-up and call verify() for every request."""

    def __init__(self, issuer, audience, jwks_uri, algorithms):
        self.issuer = issuer  # the deployment's JWT_ISSUER, exactly
        self.audience = audience  # its JWT_AUDIENCE ("portcullis" unless configured)
        # Its JWT_ALG as a list: ["ES256"] by default, ["RS256"] or ["PS256"] if so configured.
        # Pinned: the token's own alg header never chooses the algorithm, so alg "none" and HS256
        # "signed" with the public key (algorithm confusion, RFC 8725 section 2.1) are refused.
        self.algorithms = list(algorithms)
        # The key set is cached (5 minutes) and fetched again when a token names a kid that is not
        # in it, which is how a Portcullis key rotation reaches the service without a restart.
        # PyJWT fetches again for every such kid: rate-limit unauthenticated traffic in front.
        self.keys = jwt.PyJWKClient(jwks_uri)

    def verify(self, token):
        """The token's claims, or a jwt.PyJWTError: answer 401 then."""
        key = self.keys.get_signing_key_from_jwt(token).key
        verified = jwt.api_jwt.decode_complete(
            token,
            key,
            algorithms=self.algorithms,
            issuer=self.issuer,
            audience=self.audience,
            # The skew Portcullis allows itself; exp is still enforced, 30 s late at most.
            leeway=30,
            options={"require": REQUIRED_CLAIMS},
        )
        # Only an access token (RFC 9068 section 4), not another JWT that the same key might sign.
        # PyJWT does not look at typ; the header is read here after its signature was checked.
        if verified["header"].get("typ") != "at+jwt":
            raise jwt.InvalidTokenError('not an access token: typ is not "at+jwt"')
        return verified["payload"]


def main():
    parser = argparse.ArgumentParser(description="Verify one Portcullis access token.")
    parser.add_argument("--issuer", required=True)
    parser.add_argument("--audience", required=True)
    parser.add_argument("--jwks-uri", required=True)
    parser.add_argument("--algorithm", required=True, action="append", dest="algorithms", metavar="ALG", help="JWT_ALG; repeat for each")
    parser.add_argument("token")
    arguments = parser.parse_args()
    verifier = AccessTokenVerifier(arguments.issuer, arguments.audience, arguments.jwks_uri, arguments.algorithms)
    try:
        claims = verifier.verify(arguments.token)
    except jwt.PyJWTError as refusal:
        print(f"refused: {type(refusal).__name__}: {refusal}", file=sys.stderr)
        return 1
    print(json.dumps(claims))
    return 0


if __name__ == "__main__":
    sys.exit(main())
