"""The sign-off panel: Oracle's checklist as ipywidgets controls over :class:`SignoffService`.

The widgets only collect answers and show state. Every write goes through the service, which
checks it; the Enable switch is active only when the gate passes, and the service refuses
anyway if it does not (a disabled button can still be clicked from Python or a crafted comm
message).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..errors import SettleSyncError
from ..rundir import read_test_report
from ..signoff import SignoffService, SignoffStatus
from . import signoff_html as view

ACTIONS = ("rectified", "cancelled")


class SignoffPanel:
    """Checklist, errors with rectify/cancel, side-by-side orders, cutoff, approval, the switch, the log."""

    def __init__(self, service: SignoffService, run_dir: str | Path) -> None:
        self.service = service
        self.run_dir = Path(run_dir)
        self.suggested = read_test_report(self.run_dir).get("suggested_checks") or {}
        self.reviewer = w.Text(description="Reviewer", placeholder="your name").add_class("settlesync-reviewer")
        self.checklist = w.HTML().add_class("settlesync-checklist")
        self.errors = w.HTML()
        self.error_choice = w.Dropdown(description="Error", layout=w.Layout(width="60%")).add_class("settlesync-error")
        self.action = w.ToggleButtons(options=ACTIONS, value="rectified", description="Action").add_class(
            "settlesync-action"
        )
        self.note = w.Text(description="Note", placeholder="what was done").add_class("settlesync-note")
        self.record = w.Button(description="Record decision", icon="check").add_class("settlesync-record")
        self.order = w.Dropdown(description="Order", options=self._ids("not_refunded")).add_class("settlesync-order")
        self.refund = w.Dropdown(description="Refunded", options=self._ids("refunded")).add_class("settlesync-refund")
        self.order_view, self.refund_view = w.HTML(), w.HTML()
        self.compared = w.Checkbox(
            description="I compared both orders in NetSuite and they match", indent=False
        ).add_class("settlesync-compared")
        self.cancelled = w.HTML()
        self.ack = w.Checkbox(description="I acknowledge the cancelled postings", indent=False).add_class(
            "settlesync-ack"
        )
        self.live = w.Checkbox(description="The connector is live (orders already sync)", indent=False).add_class(
            "settlesync-live"
        )
        self.cutoff = w.DatePicker(description="Cutoff").add_class("settlesync-cutoff")
        self.approve_button = w.Button(description="Approve", button_style="primary").add_class("settlesync-approve")
        self.enable_button = w.Button(
            description="Enable Settlement Sync", button_style="success", disabled=True
        ).add_class("settlesync-enable")
        self.disable_button = w.Button(description="Disable Settlement Sync", button_style="danger").add_class(
            "settlesync-disable"
        )
        self.message = w.HTML().add_class("settlesync-message")
        self.audit = w.HTML()
        self.record.on_click(lambda _: self._act(self._record))
        self.approve_button.on_click(lambda _: self._act(self._approve))
        self.enable_button.on_click(lambda _: self._act(self._enable))
        self.disable_button.on_click(lambda _: self._act(self._disable))
        self.order.observe(lambda _: self._show_suggestions(), "value")
        self.refund.observe(lambda _: self._show_suggestions(), "value")
        self.widget = self._layout()
        self.status: SignoffStatus | None = None
        self.refresh()

    def _ids(self, kind: str) -> list[str]:
        return [s["order_id"] for s in self.suggested.get(kind, [])]

    def _layout(self) -> w.VBox:
        def section(title: str, *children: w.Widget) -> w.VBox:
            return w.VBox([w.HTML(f"<h3>{html.escape(title)}</h3>"), *children])

        return w.VBox(
            [
                self.reviewer,
                section("Checklist", self.checklist),
                section(
                    "1. Errors: rectify in NetSuite or cancel the posting",
                    self.errors,
                    self.error_choice,
                    self.action,
                    self.note,
                    self.record,
                ),
                section("2. Cancelled postings", self.cancelled, self.ack),
                section(
                    "3. Compare a non-refunded and a refunded order",
                    self.order,
                    self.order_view,
                    self.refund,
                    self.refund_view,
                    self.compared,
                ),
                section("4. Connector and cutoff", self.live, w.HTML(html.escape(view.cutoff_hint())), self.cutoff),
                section(
                    "5. Approve, then switch Settlement Sync on",
                    self.approve_button,
                    w.HBox([self.enable_button, self.disable_button]),
                    self.message,
                ),
                section("Audit trail", self.audit),
            ]
        )

    def refresh(self) -> SignoffStatus:
        """Read the status again and update every view."""
        status = self.service.status(self.run_dir)
        self.status = status
        self.checklist.value = view.checklist_html(status)
        self.errors.value = view.errors_html(status)
        chosen = self.error_choice.value
        self.error_choice.options = [
            (f"{e.item.describe()} [{e.resolution or 'open'}]", i) for i, e in enumerate(status.errors)
        ]
        if status.errors:
            self.error_choice.value = chosen if chosen is not None and chosen < len(status.errors) else 0
        self.cancelled.value = view.cancelled_html(status)
        self.enable_button.disabled = not status.gate.passed
        self.audit.value = view.audit_html(self.service.log(status.run_id))
        self._show_suggestions()
        return status

    def results(self) -> dict[str, Any]:
        """What the notebook records: the gate and the switch as they stand."""
        status = self.status or self.refresh()
        return {
            "run": status.run_id,
            "passed": status.gate.passed,
            "sync_enabled": status.sync_enabled,
            "unmet": [c.name for c in status.gate.unmet],
            "errors": len(status.errors),
            "cancelled_postings": status.cancelled_postings,
        }

    def _show_suggestions(self) -> None:
        by_id = {s["order_id"]: s for kind in ("refunded", "not_refunded") for s in self.suggested.get(kind, [])}
        self.order_view.value = view.compare_html(by_id.get(self.order.value))
        self.refund_view.value = view.compare_html(by_id.get(self.refund.value))

    def _act(self, action: Any) -> None:
        try:
            done = action()
        except SettleSyncError as exc:
            self.message.value = f'<p style="color:#a4161a">{html.escape(str(exc))}</p>'
        else:
            self.message.value = f'<p style="color:#1e6b34">{html.escape(done)}</p>'
        self.refresh()

    def _record(self) -> str:
        if self.status is None or self.error_choice.value is None:
            return "No error selected."
        item = self.status.errors[int(self.error_choice.value)].item
        target = (
            {"order_id": item.order_id, "transaction_type": item.transaction_type}
            if item.order_id
            else {"settlement_id": item.settlement_id, "kind": item.kind}
        )
        self.service.resolve(
            self.run_dir, reviewer=self.reviewer.value, action=self.action.value, note=self.note.value, **target
        )
        self.note.value = ""
        return f"Recorded: {item.describe()} {self.action.value}."

    def _approve(self) -> str:
        if not self.compared.value:
            return "Compare both orders in NetSuite and tick the box first."
        self.service.approve(
            self.run_dir,
            reviewer=self.reviewer.value,
            cutoff=self.cutoff.value.isoformat() if self.cutoff.value else "",
            checked_order=self.order.value or "",
            checked_refund=self.refund.value or "",
            connector_live=self.live.value,
            ack_cancelled=self.ack.value,
        )
        return "Approval recorded."

    def _enable(self) -> str:
        state = self.service.enable(self.run_dir, self.reviewer.value)
        return f"Settlement Sync enabled by {state.reviewer}, cutoff {state.cutoff}."

    def _disable(self) -> str:
        state = self.service.disable(self.reviewer.value)
        return f"Settlement Sync disabled by {state.reviewer}."
