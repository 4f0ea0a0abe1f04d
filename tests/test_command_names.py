"""Commands may be typed with hyphens, as the docs write them."""

import pytest

from communique.__main__ import main


@pytest.mark.parametrize(
    ("typed", "usage"),
    [
        ("export-static", "export_static"),
        ("import-wordpress", "import_wordpress"),
        ("import-disqus", "import_disqus"),
        ("import-drupal", "import_drupal"),
        ("mirrors_key", "mirrors_key"),
    ],
)
def test_a_hyphenated_command_is_the_command_with_underscores(capsys, typed, usage):
    with pytest.raises(SystemExit) as exit_:
        main([typed, "--help"])

    assert exit_.value.code == 0
    assert f"communique {usage}" in capsys.readouterr().out


def test_an_option_first_is_left_as_typed(capsys):
    with pytest.raises(SystemExit):
        main(["--no-such-option"])
