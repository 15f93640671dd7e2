from datetime import date

import pytest
from django.core.exceptions import ValidationError

from applicants.id_numbers import check_char, make_id_number, parse

# Published GB 11643 example: 11010519491231002X (female, born 1949-12-31).
VALID = "11010519491231002X"


def test_valid_number_gives_birth_date_and_sex():
    info = parse(VALID)
    assert info.birth_date == date(1949, 12, 31)
    assert info.sex == "female"
    assert (
        parse("110105194912310021".replace("0021", "0011")[:17] + check_char("11010519491231001")).sex
        == "male"
    )


def test_lowercase_x_and_spaces_are_normalised():
    assert parse(" 11010519491231002x ").number == VALID


def test_bad_checksum_is_refused():
    with pytest.raises(ValidationError) as error:
        parse("110105194912310021")
    assert error.value.code == "checksum"
    assert "校验位" in error.value.messages[0]


def test_impossible_birth_date_is_refused():
    number = make_id_number("210302", date(2000, 2, 28), 1)
    number = number[:10] + "0230" + number[14:17]
    number += check_char(number)
    with pytest.raises(ValidationError) as error:
        parse(number)
    assert error.value.code == "birth_date"


def test_future_birth_date_is_refused():
    number = make_id_number("210302", date(2030, 1, 1), 1)
    with pytest.raises(ValidationError) as error:
        parse(number, today=date(2026, 11, 23))
    assert error.value.code == "birth_date"


def test_fifteen_digit_legacy_number_is_refused_with_its_own_message():
    with pytest.raises(ValidationError) as error:
        parse("110105491231002")
    assert error.value.code == "legacy_15"
    assert "15位" in error.value.messages[0]


@pytest.mark.parametrize("value", ["", "1234", "11010519491231002Y", "1101051949123100XX"])
def test_malformed_numbers_are_refused(value):
    with pytest.raises(ValidationError):
        parse(value)


def test_unknown_province_code_is_refused():
    number = make_id_number("990302", date(1990, 1, 1), 1)
    with pytest.raises(ValidationError) as error:
        parse(number)
    assert error.value.code == "region"


def test_generated_numbers_validate():
    for sequence in range(0, 1000, 37):
        assert parse(make_id_number("210302", date(1992, 6, 15), sequence))
