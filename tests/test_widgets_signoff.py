"""The sign-off panel drives the service through its widgets (plain pytest, no browser)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from builders import signoff_run

from settlesync_nb.signoff import SignoffService
from settlesync_nb.widgets.signoff_panel import SignoffPanel


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    """A run with one error (order C missing in NetSuite), a refunded order A and a plain order B."""
    return signoff_run(tmp_path)


@pytest.fixture
def panel(run_dir: Path, tmp_path: Path) -> SignoffPanel:
    return SignoffPanel(SignoffService(f"sqlite:///{tmp_path / 'signoff.db'}"), run_dir)


def test_enable_is_inactive_and_refused_until_the_gate_passes(panel: SignoffPanel) -> None:
    """The switch starts disabled; clicking it anyway is refused by the backend and records nothing."""
    assert panel.enable_button.disabled
    panel.reviewer.value = "Ann"
    panel.enable_button.click()
    assert "refused" in panel.message.value.lower() or "unmet" in panel.message.value.lower()
    assert panel.service.status(panel.run_dir).sync_enabled is False


def test_full_sign_off_through_the_widgets(panel: SignoffPanel) -> None:
    """Cancel the error, acknowledge, compare, confirm live, pick a cutoff, approve, enable, disable."""
    panel.reviewer.value = "Ann"
    assert [label for label, _ in panel.error_choice.options] == ["order C (Order): missing_in_netsuite [open]"]
    panel.action.value = "cancelled"
    panel.note.value = "order C was a test order"
    panel.record.click()
    assert "cancelled by Ann" in panel.errors.value
    assert "1 cancelled posting" in panel.cancelled.value
    assert (panel.order.value, panel.refund.value) == ("B", "A")
    assert "4.00" in panel.refund_view.value and "Credit Memo DOC2" in panel.refund_view.value
    panel.ack.value = panel.live.value = panel.compared.value = True
    panel.cutoff.value = date(2026, 8, 1)
    panel.approve_button.click()
    assert "Approval recorded" in panel.message.value
    assert panel.status is not None and panel.status.gate.passed
    assert not panel.enable_button.disabled
    panel.enable_button.click()
    status = panel.service.status(panel.run_dir)
    assert status.sync_enabled and status.cutoff == "2026-08-01"
    assert status.describe_dict()["enabled_by"] == "Ann"
    assert "enable" in panel.audit.value
    panel.disable_button.click()
    assert panel.service.status(panel.run_dir).sync_enabled is False
    assert panel.service.verify().ok


def test_approve_without_comparing_is_not_recorded(panel: SignoffPanel) -> None:
    """Approving before ticking the comparison box only asks for it."""
    panel.reviewer.value = "Ann"
    panel.approve_button.click()
    assert "Compare both orders" in panel.message.value
    assert panel.service.status(panel.run_dir).approval is None


def test_user_strings_are_escaped(panel: SignoffPanel) -> None:
    """A note with markup is shown as text."""
    panel.reviewer.value = "<b>Ann</b>"
    panel.note.value = "<script>alert(1)</script>"
    panel.record.click()
    assert "<script>" not in panel.errors.value and "&lt;script&gt;" in panel.errors.value
    assert "&lt;b&gt;Ann&lt;/b&gt;" in panel.errors.value
