"""A password check Django's validators lack: a password made of one short piece repeated
("aaaaaaaaaaaa", "abcabcabcabc", "passwordpassword") or of too few different characters is
guessed at once, however long (README, "Sign-in protection"). The common-password list is
Django's own, shipped with it: nothing is looked up on the network."""

import re

from django.core.exceptions import ValidationError

REPEATED = re.compile(r"^(.+?)\1+$", re.DOTALL)


class VarietyValidator:
    def __init__(self, min_distinct: int = 6):
        self.min_distinct = min_distinct

    def validate(self, password, user=None):
        if REPEATED.match(password) or len(set(password.casefold())) < self.min_distinct:
            raise ValidationError(
                "This password repeats itself or uses too few different characters "
                f"(at least {self.min_distinct}); guessing it takes no time.",
                code="password_repetitive",
            )

    def get_help_text(self):
        return (
            f"Your password can't repeat itself and needs at least {self.min_distinct} "
            "different characters."
        )
