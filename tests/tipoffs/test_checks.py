"""LIANXIN_TIPOFF_KEY: a configured key encrypts, a malformed one stops start-up, a missing one
warns under check --deploy (the key derived from SECRET_KEY still encrypts)."""

from cryptography.fernet import Fernet, InvalidToken

from lianxin.tipoffs import checks, crypto


def test_a_configured_key_is_used(settings):
    settings.LIANXIN_TIPOFF_KEY = Fernet.generate_key().decode()
    token = crypto.encrypt("举报内容")
    assert crypto.decrypt(token) == "举报内容"
    assert (
        Fernet(settings.LIANXIN_TIPOFF_KEY.encode()).decrypt(token.encode()).decode() == "举报内容"
    )
    settings.LIANXIN_TIPOFF_KEY = Fernet.generate_key().decode()
    try:
        crypto.decrypt(token)
    except InvalidToken:
        pass
    else:
        raise AssertionError("another key read the token")
    assert checks.tipoff_key_check() == [] and checks.tipoff_key_deploy_check() == []


def test_a_malformed_key_is_an_error(settings):
    settings.LIANXIN_TIPOFF_KEY = "not-a-key"
    assert [m.id for m in checks.tipoff_key_check()] == ["tipoffs.E001"]


def test_a_missing_key_warns_for_deployment_and_falls_back(settings):
    settings.LIANXIN_TIPOFF_KEY = ""
    assert [m.id for m in checks.tipoff_key_deploy_check()] == ["tipoffs.W001"]
    assert crypto.decrypt(crypto.encrypt("x")) == "x"
