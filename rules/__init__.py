"""The built-in rules, registered through the same plugin hook as third-party rules."""

from __future__ import annotations

from uelint import Rule, hookimpl
from uelint.rules.immutable_attribute import ImmutableAttribute
from uelint.rules.invalid_attribute_value import InvalidAttributeValue
from uelint.rules.logout_without_reset import LogoutWithoutReset
from uelint.rules.missing_api_key import MissingApiKey
from uelint.rules.nonstandard_attribute_name import NonstandardAttributeName
from uelint.rules.suppressions import InvalidSuppression, UnusedSuppression
from uelint.rules.unknown_method import UnknownMethod
from uelint.rules.unstable_user_id import UnstableUserId
from uelint.rules.update_in_auth_handler import UpdateInAuthHandler
from uelint.rules.user_id_in_update import UserIdInUpdate


@hookimpl
def uelint_rules() -> list[Rule]:
    return [UserIdInUpdate(), UpdateInAuthHandler(), ImmutableAttribute(), UnknownMethod(),
            MissingApiKey(), InvalidAttributeValue(), NonstandardAttributeName(),
            UnstableUserId(), LogoutWithoutReset(),
            UnusedSuppression(), InvalidSuppression()]
