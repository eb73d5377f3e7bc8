"""Partners are registry references: every action per partner can be listed."""

from click.testing import CliRunner

from generator.cli import main
from tests.conftest import SOURCE


def test_actions_per_partner() -> None:
    result = CliRunner().invoke(main, ["partners", "politie", "--source", str(SOURCE)])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Politie [politie, politie-justitie]: 12 actions",
        "  AA-02, AA-04, AA-07, S2-03, S2-07, S3A-03, S3A-22, S3A-24, S3B-07, S3B-10, S3B-18, S3B-19",
    ]


def test_every_action_is_listed_under_at_least_one_partner(validated) -> None:  # type: ignore[no-untyped-def]
    from generator.content.context import partner_index

    listed = {a for entry in partner_index(validated.agenda) for a in entry["actions"]}
    assert listed == {action.id for _, _, action in validated.agenda.actions()}


def test_unknown_partner_suggests_the_closest() -> None:
    result = CliRunner().invoke(main, ["partners", "politei", "--source", str(SOURCE)])
    assert result.exit_code == 1
    assert "unknown partner 'politei' (did you mean 'politie'?)" in result.output
