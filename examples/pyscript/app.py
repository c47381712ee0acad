"""A PyScript page that talks to the User.com widget from Python."""

from js import document, window
from pyscript import when


@when("submit", "#signup-form")
def handle_signup(event):
    event.preventDefault()
    email = document.querySelector("#email").value
    # Wrong: a sign-up must identify the user with UE.pageHit; user_id and ip_address
    # cannot be set with client.update.
    window.userengage("client.update", {"user_id": email, "email": email, "ip_address": "0.0.0.0"})


def save_theme(theme):
    # Correct: an ordinary attribute of the current user.
    window.userengage("client.update", {"is_dark_mode": theme == "dark"})
