"""Signing in through the login page as a person, or a script, would."""

from captcha.models import CaptchaStore

from huitoukan.access import lockout

LOGIN = "/accounts/login/"
HOME = "/"


def sign_in(client, username: str, password: str, *, address: str = "127.0.0.1", captcha: str = "solved"):
    """POST the login form from `address`.

    When the account asks for a captcha, `captcha` says what the client sends: "solved" (the right
    answer to a fresh challenge, as a person or a captcha farm would), "wrong", or "none".
    """
    data = {"username": username, "password": password}
    if lockout.captcha_needed(username) and captcha != "none":
        key = CaptchaStore.generate_key()
        answer = CaptchaStore.objects.get(hashkey=key).response
        data |= {"captcha_0": key, "captcha_1": answer if captcha == "solved" else answer + "x"}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == HOME
