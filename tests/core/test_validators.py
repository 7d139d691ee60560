import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from lianxin.core.masking import mask_id_number, mask_name, mask_phone
from lianxin.core.validators import (
    id_check_digit,
    is_valid_id_number,
    validate_id_number,
    validate_phone,
)


def test_known_valid_ids():
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("620524195001010021")
    assert is_valid_id_number("11010519491231002x")  # lower-case x is normalised


def test_bad_checksum_and_bad_date_are_refused():
    assert not is_valid_id_number("110105194912310021")
    assert not is_valid_id_number("620524195002300026")  # 30 February
    with pytest.raises(ValidationError, match="校验"):
        validate_id_number("110105194912310021")
    with pytest.raises(ValidationError, match="18 位"):
        validate_id_number("12345")


@given(st.dates(), st.integers(0, 999))
def test_generated_ids_validate(birth, seq):
    first17 = f"620524{birth:%Y%m%d}{seq:03d}"
    if len(first17) != 17:
        return
    assert is_valid_id_number(first17 + id_check_digit(first17))


@pytest.mark.parametrize(
    "phone", ["13812345678", "+8613812345678", "138 1234 5678", "199-1234-5678"]
)
def test_valid_phones(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "abc", "023-12345678"])
def test_invalid_phones(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


def test_masks_follow_gbt35273_examples():
    assert mask_id_number("620524198001011234") == "6205**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳小明") == "欧***"
    assert mask_name("") == ""
