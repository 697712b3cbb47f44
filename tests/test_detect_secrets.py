"""Secret and identifier detectors, built from each format's rules; placeholders must pass."""

from __future__ import annotations

import base64
import json
import random
import string

import pytest

from flask_llm_shield.detect import Scanner

rng = random.Random(1234)
ALNUM = string.ascii_letters + string.digits


def rand(alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def b64url(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def pem(label: str) -> str:
    body = "\n".join(rand(ALNUM + "+/", 64) for _ in range(5))
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----"


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner()


def kinds(scanner: Scanner, text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in scanner.scan(text)]


SECRETS = [
    ("aws_access_key", "AKIA" + rand(string.ascii_uppercase + "234567", 16)),
    ("aws_access_key", "ASIA" + rand(string.ascii_uppercase + "234567", 16)),
    ("github_token", "ghp_" + rand(ALNUM, 36)),
    ("github_token", "github_pat_" + rand(ALNUM, 22) + "_" + rand(ALNUM, 59)),
    ("openai_api_key", "sk-" + rand(ALNUM, 48)),
    ("openai_api_key", "sk-proj-" + rand(ALNUM + "-_", 120)),
    ("slack_token", f"xoxb-{rand(string.digits, 12)}-{rand(string.digits, 13)}-{rand(ALNUM, 24)}"),
    ("stripe_key", "sk_live_" + rand(ALNUM, 24)),
    ("stripe_key", "rk_live_" + rand(ALNUM, 99)),
    ("google_api_key", "AIza" + rand(ALNUM + "-_", 35)),
    (
        "jwt",
        b64url({"alg": "HS256", "typ": "JWT"})
        + "."
        + b64url({"sub": "42", "name": "Jane"})
        + "."
        + rand(ALNUM + "-_", 43),
    ),
    ("private_key", pem("RSA PRIVATE KEY")),
    ("private_key", pem("OPENSSH PRIVATE KEY")),
    ("private_key", pem("EC PRIVATE KEY")),
    ("private_key", pem("PRIVATE KEY")),
    ("private_key", pem("ENCRYPTED PRIVATE KEY")),
    ("mongodb_uri", f"mongodb+srv://app:{rand(ALNUM, 16)}@cluster0.ab1cd.mongodb.net/shop"),
    ("mongodb_uri", f"mongodb://admin:{rand(ALNUM, 12)}@db1.internal:27017,db2:27017/prod"),
    ("object_id", "65a1f3c2e4b0a1b2c3d4e5f6"),
]


@pytest.mark.parametrize(("kind", "value"), SECRETS)
def test_secrets_in_prose_and_json(scanner: Scanner, kind: str, value: str) -> None:
    assert kinds(scanner, f"Here it is: {value} — keep it safe.") == [(kind, value)]
    body = json.dumps({"data": {"value": value}})
    (finding,) = scanner.scan_json(json.loads(body))
    assert (finding.kind, finding.path) == (kind, "/data/value")


def test_aws_secret_key_needs_aws_context(scanner: Scanner) -> None:
    secret = rand(ALNUM + "/+", 38) + "a1"
    found = kinds(scanner, f"aws_secret_access_key = {secret}")
    assert found == [("aws_secret_key", secret)]
    assert kinds(scanner, f"checksum {secret}") == []
    key_id = "AKIA" + rand(string.ascii_uppercase + "234567", 16)
    found = kinds(scanner, f"Credentials: {key_id} / {secret}")
    assert found == [("aws_access_key", key_id), ("aws_secret_key", secret)]


def test_object_id_forms(scanner: Scanner) -> None:
    oid = "65a1f3c2e4b0a1b2c3d4e5f6"
    for text in (f'ObjectId("{oid}")', f'{{"$oid": "{oid}"}}', f"user {oid} signed in"):
        assert kinds(scanner, text) == [("object_id", oid)]


@pytest.mark.parametrize(
    "text",
    [
        "Fixed in commit da39a3ee5e6b4b0d3255bfef95601890afd80709.",
        "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "request 123e4567-e89b-12d3-a456-426614174000 failed",
        "Use AKIAIOSFODNN7EXAMPLE in the docs.",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "export OPENAI_API_KEY=sk-...",
        "OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "api_key = YOUR_API_KEY",
        "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "stripe sk_test_" + "a" * 24,
        "mongodb://<username>:<password>@cluster0.example.mongodb.net/test",
        "mongodb://localhost:27017/app",
        "Use `-----BEGIN PRIVATE KEY-----` ... `-----END PRIVATE KEY-----` blocks.",
        "header eyJhbGciOiJIUzI1NiJ9 only",
    ],
)
def test_secret_negatives(scanner: Scanner, text: str) -> None:
    assert kinds(scanner, text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('password = "hunter2!x"', "hunter2!x"),
        ("DB_PASSWORD=s3cr3t-Value", "s3cr3t-Value"),
        ("pwd: Tr0ub4dor&3", "Tr0ub4dor&3"),
        ('{"username": "jane", "password": "correct horse 42"}', "correct horse 42"),
        ("The admin password is Xy7#pQ2z, change it.", "Xy7#pQ2z"),
        ("passwd: 'p@ss w0rd'", "p@ss w0rd"),
        ("Das Passwort lautet Sommer2024! und gilt ab heute.", "Sommer2024!"),
        ("Le mot de passe est Azerty123$ pour ce compte.", "Azerty123$"),
        ("La contrase\u00f1a es Hola-1234 desde ayer.", "Hola-1234"),
        ("Het wachtwoord is Welkom01! voor iedereen.", "Welkom01!"),
    ],
)
def test_password_assignments(scanner: Scanner, text: str, value: str) -> None:
    assert kinds(scanner, text) == [("password_assignment", value)]


@pytest.mark.parametrize(
    "text",
    [
        "Your password must be at least 12 characters.",
        "password: ********",
        'password = "<your password>"',
        "DB_PASSWORD=${DB_PASSWORD}",
        "password = os.environ['DB_PASSWORD']",
        "password = get_password()",
        "The password is required.",
        "Set `pass: true` in the config.",
        "password: changeme",
        "Das Passwort ist falsch.",
        "Le mot de passe est obligatoire.",
        'password = input("Password: ")',
        'password = request.form["password"]',
        "password: Optional[str] = None",
        'SECRET_KEY = "change-me-in-production"',
    ],
)
def test_password_negatives(scanner: Scanner, text: str) -> None:
    assert kinds(scanner, text) == []


def test_key_assignment_reports_the_key_kind(scanner: Scanner) -> None:
    key = "sk_live_" + rand(ALNUM, 30)
    assert kinds(scanner, f"STRIPE_SECRET_KEY={key}") == [("stripe_key", key)]


def test_long_tokens_are_capped_for_the_stream_window(scanner: Scanner) -> None:
    header = b64url({"alg": "HS256"})
    token = f"{header}.{b64url({'data': 'x' * 6000})}.{rand(ALNUM, 43)}"
    (finding,) = scanner.scan(f"token {token}")
    assert finding.kind == "jwt"
    assert finding.end - finding.start <= scanner.window


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("password => 'N6mkTX1Q!Gb6'", "N6mkTX1Q!Gb6"),
        ("mysql --password=geVoHypnB -h db", "geVoHypnB"),
        ("DB_PASS=supersecret", "supersecret"),
    ],
)
def test_more_assignment_forms(scanner: Scanner, text: str, value: str) -> None:
    assert kinds(scanner, text) == [("password_assignment", value)]


HEX = "0123456789abcdef"
LOWER_ALNUM = string.ascii_lowercase + string.digits

# Keys of the services LLM applications hold: (kind, text, value).
SERVICE_KEYS = [
    (
        "anthropic_api_key",
        "ANTHROPIC_API_KEY={v}",
        "sk-ant-api03-" + rand(ALNUM + "-_", 93) + "AA",
    ),
    ("anthropic_api_key", "admin key {v}", "sk-ant-admin01-" + rand(ALNUM + "-_", 93) + "AA"),
    ("huggingface_token", "HF_TOKEN={v}", "hf_" + rand(string.ascii_letters, 34)),
    ("huggingface_token", "org token {v}", "api_org_" + rand(string.ascii_letters, 34)),
    ("groq_api_key", "client = Groq(api_key='{v}')", "gsk_" + rand(ALNUM, 52)),
    ("perplexity_api_key", "Authorization key {v}", "pplx-" + rand(ALNUM, 48)),
    ("replicate_api_token", "export REPLICATE_API_TOKEN={v}", "r8_" + rand(ALNUM, 37)),
    ("gitlab_token", "PRIVATE-TOKEN: {v}", "glpat-" + rand(ALNUM + "-_", 20)),
    ("gitlab_token", "deploy token {v}", "gldt-" + rand(ALNUM, 26)),
    ("npm_token", "//registry.npmjs.org/:_authToken={v}", "npm_" + rand(ALNUM, 36)),
    ("pypi_token", "password = {v}", "pypi-AgEIcHlwaS5vcmc" + rand(ALNUM + "-_", 160)),
    ("sendgrid_api_key", "SENDGRID_API_KEY='{v}'", f"SG.{rand(ALNUM, 22)}.{rand(ALNUM, 43)}"),
    ("twilio_api_key", "api key sid {v}", "SK" + rand(HEX, 32)),
    ("twilio_api_key", "TWILIO_AUTH_TOKEN={v}", rand(HEX, 32)),
    ("mailgun_api_key", "mailgun key {v}", "key-" + rand(LOWER_ALNUM, 32)),
    (
        "mailgun_api_key",
        "MAILGUN_API_KEY={v}",
        f"{rand(HEX, 32)}-{rand(HEX, 8)}-{rand(HEX, 8)}",
    ),
    ("cohere_api_key", "co = cohere.Client('{v}')", rand(ALNUM, 40)),
    ("cohere_api_key", "COHERE_API_KEY: {v}", rand(ALNUM, 40)),
    ("mistral_api_key", "MISTRAL_API_KEY={v}", rand(ALNUM, 32)),
    ("mistral_api_key", "Your Mistral API key is {v}.", rand(ALNUM, 32)),
    ("azure_openai_key", "AZURE_OPENAI_API_KEY={v}", rand(HEX, 32)),
    ("azure_openai_key", "azure openai key: {v}", rand(ALNUM, 84)),
    (
        "slack_webhook",
        "POST to {v}",
        f"https://hooks.slack.com/services/T{rand(string.ascii_uppercase, 8)}"
        f"/B{rand(string.ascii_uppercase + string.digits, 8)}/{rand(ALNUM, 24)}",
    ),
    (
        "gcp_service_account",
        '{{"type": "service_account", "project_id": "p", "private_key_id": "{v}"}}',
        rand(HEX, 40),
    ),
    ("bearer_token", "Authorization: Bearer {v}", rand(ALNUM + "-_.", 48)),
    ("bearer_token", "curl -H 'Authorization: bearer {v}' https://api", rand(ALNUM, 32)),
    ("password_assignment", "DATABASE_URL=postgresql://app:{v}@db:5432/shop", "Qp7!vX2mLz"),
    ("password_assignment", "mysql://root:{v}@mysql.internal/app", "h4rd-T0-guess"),
    ("password_assignment", "REDIS_URL=redis://:{v}@cache:6379/0", "r3dis-S3cret"),
    ("password_assignment", "amqp://guest2:{v}@mq.internal:5672/vhost", "Rabb1t-pw-88"),
]


@pytest.mark.parametrize(("kind", "template", "value"), SERVICE_KEYS)
def test_service_keys(scanner: Scanner, kind: str, template: str, value: str) -> None:
    text = template.format(v=value)
    assert kinds(scanner, text) == [(kind, value)]
    (finding,) = scanner.scan_json({"config": text})
    assert finding.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "ANTHROPIC_API_KEY=sk-ant-api03-...",
        "ANTHROPIC_API_KEY=sk-ant-api03-" + "x" * 93 + "AA",
        "HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "HF_TOKEN=hf_YourHuggingFaceTokenGoesHereOkay",
        "GROQ_API_KEY=gsk_" + "your_groq_api_key".ljust(52, "x"),
        "pplx-" + "abcdefgh" * 6,
        "r8_" + "0" * 37,
        "glpat-xxxxxxxxxxxxxxxxxxxx",
        "npm_" + "X" * 36,
        # a pypi- token whose macaroon is not for pypi.org
        "pypi-AgEIZXhhbXBsZS5jb20" + rand(ALNUM, 150),
        "SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        # a Twilio Account SID is an identifier printed on every console page, not a key
        "account sid AC" + rand(HEX, 32),
        # 40 random characters with no Cohere label; 32 without a Mistral one
        "checksum " + rand(ALNUM, 40),
        "build " + rand(ALNUM, 32),
        "COHERE_API_KEY=<your-cohere-api-key>",
        "MISTRAL_API_KEY=your_mistral_api_key_here",
        "AZURE_OPENAI_API_KEY=00000000000000000000000000000000",
        # Slack's documented example webhook
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        '"private_key_id": "0123456789abcdef0123456789abcdef01234567"',
        "Authorization: Bearer <token>",
        "Authorization: Bearer YOUR_ACCESS_TOKEN_HERE_1234",
        "Authorization: Bearer $OPENAI_API_KEY",
        "Bearer tokens are sent in the Authorization header.",
        "postgresql://user:password@localhost:5432/db",
        "redis://:changeme@localhost:6379",
        "amqp://guest:guest@localhost:5672/",
    ],
)
def test_service_key_negatives(scanner: Scanner, text: str) -> None:
    assert kinds(scanner, text) == []


def test_bearer_yields_to_the_key_format_it_carries(scanner: Scanner) -> None:
    key = "sk-proj-" + rand(ALNUM + "-_", 100)
    assert kinds(scanner, f"Authorization: Bearer {key}") == [("openai_api_key", key)]
    jwt = (
        b64url({"alg": "HS256", "typ": "JWT"}) + "." + b64url({"sub": "1"}) + "." + rand(ALNUM, 43)
    )
    assert kinds(scanner, f"Authorization: Bearer {jwt}") == [("jwt", jwt)]


JWT_IO = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0"
    "IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)


def test_documentation_tokens_and_ids_are_not_leaks(scanner: Scanner) -> None:
    assert kinds(scanner, f"The classic jwt.io example `{JWT_IO}` decodes to ...") == []
    # the same claims under another algorithm and signature are still jwt.io's sample
    rs256 = (
        b64url({"alg": "RS256", "typ": "JWT"})
        + "."
        + b64url({"sub": "1234567890", "name": "John Doe", "admin": True, "iat": 1516239022})
        + "."
        + rand(ALNUM + "-_", 86)
    )
    assert kinds(scanner, f"Authorization: Bearer {rs256}") == []
    for oid in ("507f1f77bcf86cd799439011", "507f191e810c19729de860ea"):
        assert kinds(scanner, f'db.users.find({{_id: ObjectId("{oid}")}})') == []
    # a real token with other claims is reported
    real = b64url({"alg": "HS256"}) + "." + b64url({"sub": "1234567891"}) + "." + rand(ALNUM, 43)
    assert kinds(scanner, f"token {real}") == [("jwt", real)]
