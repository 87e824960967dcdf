from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, Settings, SettingsError


def test_defaults_without_environment(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings.load(environ={}, env_file=tmp_path / "missing.env")
    assert settings.token is None
    assert settings.database == Path("data/bot.db")
    # Run from elsewhere, the shipped articles and rules are still found.
    assert settings.articles_dir == PROJECT_ROOT / "data" / "articles"
    assert settings.moderation_rules == PROJECT_ROOT / "data" / "moderation" / "rules.yaml"
    (tmp_path / "data" / "articles").mkdir(parents=True)
    assert Settings.load(environ={}, env_file=tmp_path / "none").articles_dir == Path("data/articles")
    assert settings.sync_guilds == ()
    assert settings.api_base is None and settings.gateway_url is None


def test_environment_wins_over_env_file(tmp_path: Path):
    env_file = tmp_path / ".env"
    env_file.write_text("DISCORD_TOKEN=from-file\nBOT_DATABASE=file.db\nBOT_ARTICLES_DIR=articles\n")
    settings = Settings.load(environ={"BOT_DATABASE": "env.db"}, env_file=env_file)
    assert settings.token == "from-file"
    assert settings.database == Path("env.db")
    assert settings.articles_dir == Path("articles")


def test_sync_guilds_and_endpoints_are_parsed(tmp_path: Path):
    settings = Settings.load(
        environ={
            "BOT_SYNC_GUILDS": " 123, 456 ,",
            "DISCORD_API_BASE": "http://127.0.0.1:9000/",
            "DISCORD_GATEWAY_URL": "ws://127.0.0.1:9000/gw",
        },
        env_file=tmp_path / "none",
    )
    assert settings.sync_guilds == (123, 456)
    assert settings.api_base == "http://127.0.0.1:9000/api/v10"
    assert settings.gateway_url == "ws://127.0.0.1:9000/gw"
    explicit = Settings.load(environ={"DISCORD_API_BASE": "http://proxy/api/v10"}, env_file=tmp_path / "none")
    assert explicit.api_base == "http://proxy/api/v10"


def test_bad_guild_ids_name_the_variable(tmp_path: Path):
    with pytest.raises(SettingsError, match="BOT_SYNC_GUILDS"):
        Settings.load(environ={"BOT_SYNC_GUILDS": "12,abc"}, env_file=tmp_path / "none")


def test_missing_token_names_variable_and_readme_section():
    with pytest.raises(SettingsError) as info:
        Settings(token=None).require_token()
    assert "DISCORD_TOKEN" in str(info.value)
    assert "README" in str(info.value)
