"""The per-command methods of :class:`gcclient.Agent` and
:class:`gcclient.sync.Agent`, each annotated with the reply type GC sends.

Stand-in until the command-table generator writes this module from core's
table; the method names, parameters and reply types are the table's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Awaitable, Mapping, Optional, Sequence, Tuple, Union

from ._replies import (AgentsListEvent, AgentStateEvent, CallbackMessageEvent,
                       CallbackScheduledEvent, ConsultCallEvent, DialogStateEvent,
                       InboundCallEvent, PhonebookContactsEvent, PhonebooksEvent,
                       QueueListEvent, ReasonCodesEvent, TeamPhonebooksEvent,
                       TeamUsersListEvent)

if TYPE_CHECKING:
    from . import _native

#: Call variables to set: a mapping or ``(name, value)`` pairs.
CallVariablesArg = Union[Mapping[str, str], Sequence[Tuple[str, str]]]

_RAISES = """

        Raises :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when GC
        is not in service (nothing sent)."""


def _pairs(variables: CallVariablesArg) -> Any:
    from . import _native
    items = variables.items() if isinstance(variables, Mapping) else variables
    return [_native.KeyValue(key=k, value=v) for k, v in items]


class AgentCommands:
    """One async method per command of the guide (mixed into :class:`gcclient.Agent`)."""

    _a: "_native.Agent"

    async def _request(self, command: str, native: Awaitable[Any],
                       timeout: Optional[float], expected: Optional[type] = None) -> Any:
        raise NotImplementedError

    async def get_state(self, *, timeout: Optional[float] = None) -> AgentStateEvent:
        """Asks for the agent's state (``GetState``).

        Returns GC's reply, an :class:`AgentStateEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("get_state", self._a.get_state(), timeout, AgentStateEvent)

    async def make_ready(self, *, timeout: Optional[float] = None) -> AgentStateEvent:
        """Sets READY (``MakeReady``).

        Returns GC's reply, an :class:`AgentStateEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("make_ready", self._a.make_ready(), timeout, AgentStateEvent)

    async def make_not_ready(self, reason_code: Optional[str] = None, *, timeout: Optional[float] = None) -> AgentStateEvent:
        """Sets NOT_READY, with a reason code when given (``MakeNotReady[WithReason]``).

        Returns GC's reply, an :class:`AgentStateEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("make_not_ready", self._a.make_not_ready(reason_code), timeout, AgentStateEvent)

    async def make_work_ready(self, *, timeout: Optional[float] = None) -> AgentStateEvent:
        """Sets WORK_READY (``MakeWorkReady``).

        Returns GC's reply, an :class:`AgentStateEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("make_work_ready", self._a.make_work_ready(), timeout, AgentStateEvent)

    async def make_work_not_ready(self, *, timeout: Optional[float] = None) -> AgentStateEvent:
        """Sets WORK (``MakeWorkNotReady``).

        Returns GC's reply, an :class:`AgentStateEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("make_work_not_ready", self._a.make_work_not_ready(), timeout, AgentStateEvent)

    async def get_logout_reason_codes(self, *, timeout: Optional[float] = None) -> ReasonCodesEvent:
        """Logout reason codes (``reasoncodelogout``).

        Returns GC's reply, an :class:`ReasonCodesEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("get_logout_reason_codes", self._a.get_logout_reason_codes(), timeout, ReasonCodesEvent)

    async def get_not_ready_reason_codes(self, *, timeout: Optional[float] = None) -> ReasonCodesEvent:
        """Not-ready reason codes (``reasoncodenotready``).

        Returns GC's reply, an :class:`ReasonCodesEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("get_not_ready_reason_codes", self._a.get_not_ready_reason_codes(), timeout, ReasonCodesEvent)

    async def get_wrap_up_reasons(self, *, timeout: Optional[float] = None) -> ReasonCodesEvent:
        """Wrap-up reasons (``wrapupreasoncode``).

        Returns GC's reply, an :class:`ReasonCodesEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("get_wrap_up_reasons", self._a.get_wrap_up_reasons(), timeout, ReasonCodesEvent)

    async def get_all_agents(self, *, timeout: Optional[float] = None) -> AgentsListEvent:
        """All logged-in users (``getallagents``, admin).

        Returns GC's reply, an :class:`AgentsListEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("get_all_agents", self._a.get_all_agents(), timeout, AgentsListEvent)

    async def get_phonebooks(self, *, timeout: Optional[float] = None) -> PhonebooksEvent:
        """Team and global phonebooks.

        Returns GC's reply, an :class:`PhonebooksEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("get_phonebooks", self._a.get_phonebooks(), timeout, PhonebooksEvent)

    async def get_phonebook_contacts(self, phonebook_id: str, *, timeout: Optional[float] = None) -> PhonebookContactsEvent:
        """The contacts of a phonebook.

        Returns GC's reply, an :class:`PhonebookContactsEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("get_phonebook_contacts", self._a.get_phonebook_contacts(phonebook_id), timeout, PhonebookContactsEvent)

    async def get_team_phonebook(self, *, timeout: Optional[float] = None) -> TeamPhonebooksEvent:
        """The team phonebook.

        Returns GC's reply, an :class:`TeamPhonebooksEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("get_team_phonebook", self._a.get_team_phonebook(), timeout, TeamPhonebooksEvent)

    async def get_queue_list(self, *, timeout: Optional[float] = None) -> QueueListEvent:
        """Queue statistics (``getqueuelist``).

        Returns GC's reply, an :class:`QueueListEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("get_queue_list", self._a.get_queue_list(), timeout, QueueListEvent)

    async def get_skill_groups(self, *, timeout: Optional[float] = None) -> CallbackMessageEvent:
        """Skill groups (UCCE; ``GETSKILLGROPU``).

        Returns GC's reply, an :class:`CallbackMessageEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("get_skill_groups", self._a.get_skill_groups(), timeout, CallbackMessageEvent)

    async def get_supervisors(self, *, timeout: Optional[float] = None) -> CallbackMessageEvent:
        """Supervisors (UCCE; ``GETSUPERVISOR``).

        Returns GC's reply, an :class:`CallbackMessageEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("get_supervisors", self._a.get_supervisors(), timeout, CallbackMessageEvent)

    async def make_call(self, number: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Dials a number or extension (``MakeCall``).

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("make_call", self._a.make_call(number), timeout, InboundCallEvent)

    async def answer(self, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Answers a ringing dialog (``AnswerCall``).

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("answer_call", self._a.answer(dialog_id), timeout, InboundCallEvent)

    async def release(self, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Drops a dialog (``ReleaseCall``).

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("release_call", self._a.release(dialog_id), timeout, InboundCallEvent)

    async def hold(self, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Puts a dialog on hold (``HoldCall``).

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("hold_call", self._a.hold(dialog_id), timeout, InboundCallEvent)

    async def retrieve(self, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Retrieves a held dialog (``RetrieveCall``).

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("retrieve_call", self._a.retrieve(dialog_id), timeout, InboundCallEvent)

    async def get_dialog_state(self, dialog_id: str, *, timeout: Optional[float] = None) -> DialogStateEvent:
        """The state of one dialog (``GetDialogState``).

        Returns GC's reply, an :class:`DialogStateEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("get_dialog_state", self._a.get_dialog_state(dialog_id), timeout, DialogStateEvent)

    async def single_step_transfer(self, extension: str, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blind transfer (``Transfer_sst``).

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("single_step_transfer", self._a.single_step_transfer(extension, dialog_id), timeout, InboundCallEvent)

    async def consult(self, extension: str, dialog_id: str, *, timeout: Optional[float] = None) -> ConsultCallEvent:
        """Starts a consult call (``ConsultCall``).

        Returns GC's reply, an :class:`ConsultCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("consult_call", self._a.consult(extension, dialog_id), timeout, ConsultCallEvent)

    async def transfer(self, extension: str, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Completes a consult transfer (``TransferCall``).

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("transfer_call", self._a.transfer(extension, dialog_id), timeout, InboundCallEvent)

    async def conference(self, extension: str, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Conferences the consulted party (``Conferencecall``).

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("conference_call", self._a.conference(extension, dialog_id), timeout, InboundCallEvent)

    async def drop_participant(self, extension: str, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Drops a participant from a call (supervisor).

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("drop_participant", self._a.drop_participant(extension, dialog_id), timeout, InboundCallEvent)

    async def wrap_up(self, reason: str, dialog_id: str, *, timeout: Optional[float] = None) -> DialogStateEvent:
        """Sets the wrap-up reason of a dialog (``wrapup``).

        Returns GC's reply, an :class:`DialogStateEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("wrap_up", self._a.wrap_up(reason, dialog_id), timeout, DialogStateEvent)

    async def update_call_variables(self, dialog_id: str, variables: CallVariablesArg, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Sets call variables by name (a mapping or ``(name, value)`` pairs).

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("update_call_variables", self._a.update_call_variables(dialog_id, _pairs(variables)), timeout, InboundCallEvent)

    async def silent_monitor(self, extension: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Silently monitors a team member (supervisor).

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("silent_monitor", self._a.silent_monitor(extension), timeout, InboundCallEvent)

    async def end_silent_monitor(self, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Ends silent monitoring.

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("end_silent_monitor", self._a.end_silent_monitor(dialog_id), timeout, InboundCallEvent)

    async def barge_in(self, extension: str, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Barges in on a call (supervisor).

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("barge_in", self._a.barge_in(extension, dialog_id), timeout, InboundCallEvent)

    async def get_team_users(self, team_id: str, subscribe: bool = False, *, timeout: Optional[float] = None) -> TeamUsersListEvent:
        """A team's members, optionally subscribing to their state changes (supervisor).

        Returns GC's reply, an :class:`TeamUsersListEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("get_team_users", self._a.get_team_users(team_id, subscribe), timeout, TeamUsersListEvent)

    async def get_team_users_state(self, team_agent_id: str, *, timeout: Optional[float] = None) -> TeamUsersListEvent:
        """The state of a team member (supervisor).

        Returns GC's reply, an :class:`TeamUsersListEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("get_team_users_state", self._a.get_team_users_state(team_agent_id), timeout, TeamUsersListEvent)

    async def accept_outbound_preview(self, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Accepts an outbound preview call or personal callback.

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("accept_outbound_preview", self._a.accept_outbound_preview(dialog_id), timeout, InboundCallEvent)

    async def reject_outbound_preview(self, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Rejects an outbound preview call or personal callback.

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("reject_outbound_preview", self._a.reject_outbound_preview(dialog_id), timeout, InboundCallEvent)

    async def close_outbound_preview(self, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Closes an outbound preview call.

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("close_outbound_preview", self._a.close_outbound_preview(dialog_id), timeout, InboundCallEvent)

    async def schedule_callback(self, target_media_address: str, dialog_id: str, callback_time: str, callback_number: str, *, timeout: Optional[float] = None) -> CallbackScheduledEvent:
        """Schedules a campaign callback.

        Returns GC's reply, an :class:`CallbackScheduledEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("schedule_callback", self._a.schedule_callback(target_media_address, dialog_id, callback_time, callback_number), timeout, CallbackScheduledEvent)

    async def update_callback(self, target_media_address: str, dialog_id: str, callback_time: str, callback_number: str, *, timeout: Optional[float] = None) -> CallbackScheduledEvent:
        """Updates a scheduled callback.

        Returns GC's reply, an :class:`CallbackScheduledEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("update_callback", self._a.update_callback(target_media_address, dialog_id, callback_time, callback_number), timeout, CallbackScheduledEvent)

    async def cancel_callback(self, target_media_address: str, dialog_id: str, *, timeout: Optional[float] = None) -> CallbackScheduledEvent:
        """Cancels a scheduled callback.

        Returns GC's reply, an :class:`CallbackScheduledEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("cancel_callback", self._a.cancel_callback(target_media_address, dialog_id), timeout, CallbackScheduledEvent)

    async def reclassify_call(self, target_media_address: str, dialog_id: str, value: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Reclassifies a direct preview call.

        Returns GC's reply, an :class:`InboundCallEvent`. Raises
        :class:`GcRefusedError` when GC answers with an error,
        :class:`RequestTimeoutError` after ``timeout`` seconds (default: the
        config's ``request_timeout_ms``), :class:`NotInServiceError` when
        GC is not in service (nothing sent).
        """
        return await self._request("reclassify_call", self._a.reclassify_call(target_media_address, dialog_id, value), timeout, InboundCallEvent)


class SyncAgentCommands:
    """The blocking twins (mixed into :class:`gcclient.sync.Agent`)."""

    _a: Any

    def _run(self, coro: Awaitable[Any]) -> Any:
        raise NotImplementedError

    def get_state(self, *, timeout: Optional[float] = None) -> AgentStateEvent:
        """Blocking :meth:`gcclient.Agent.get_state`: asks for the agent's state (``GetState``)."""
        return self._run(self._a.get_state(timeout=timeout))

    def make_ready(self, *, timeout: Optional[float] = None) -> AgentStateEvent:
        """Blocking :meth:`gcclient.Agent.make_ready`: sets READY (``MakeReady``)."""
        return self._run(self._a.make_ready(timeout=timeout))

    def make_not_ready(self, reason_code: Optional[str] = None, *, timeout: Optional[float] = None) -> AgentStateEvent:
        """Blocking :meth:`gcclient.Agent.make_not_ready`: sets NOT_READY, with a reason code when given (``MakeNotReady[WithReason]``)."""
        return self._run(self._a.make_not_ready(reason_code, timeout=timeout))

    def make_work_ready(self, *, timeout: Optional[float] = None) -> AgentStateEvent:
        """Blocking :meth:`gcclient.Agent.make_work_ready`: sets WORK_READY (``MakeWorkReady``)."""
        return self._run(self._a.make_work_ready(timeout=timeout))

    def make_work_not_ready(self, *, timeout: Optional[float] = None) -> AgentStateEvent:
        """Blocking :meth:`gcclient.Agent.make_work_not_ready`: sets WORK (``MakeWorkNotReady``)."""
        return self._run(self._a.make_work_not_ready(timeout=timeout))

    def get_logout_reason_codes(self, *, timeout: Optional[float] = None) -> ReasonCodesEvent:
        """Blocking :meth:`gcclient.Agent.get_logout_reason_codes`: logout reason codes (``reasoncodelogout``)."""
        return self._run(self._a.get_logout_reason_codes(timeout=timeout))

    def get_not_ready_reason_codes(self, *, timeout: Optional[float] = None) -> ReasonCodesEvent:
        """Blocking :meth:`gcclient.Agent.get_not_ready_reason_codes`: not-ready reason codes (``reasoncodenotready``)."""
        return self._run(self._a.get_not_ready_reason_codes(timeout=timeout))

    def get_wrap_up_reasons(self, *, timeout: Optional[float] = None) -> ReasonCodesEvent:
        """Blocking :meth:`gcclient.Agent.get_wrap_up_reasons`: wrap-up reasons (``wrapupreasoncode``)."""
        return self._run(self._a.get_wrap_up_reasons(timeout=timeout))

    def get_all_agents(self, *, timeout: Optional[float] = None) -> AgentsListEvent:
        """Blocking :meth:`gcclient.Agent.get_all_agents`: all logged-in users (``getallagents``, admin)."""
        return self._run(self._a.get_all_agents(timeout=timeout))

    def get_phonebooks(self, *, timeout: Optional[float] = None) -> PhonebooksEvent:
        """Blocking :meth:`gcclient.Agent.get_phonebooks`: team and global phonebooks."""
        return self._run(self._a.get_phonebooks(timeout=timeout))

    def get_phonebook_contacts(self, phonebook_id: str, *, timeout: Optional[float] = None) -> PhonebookContactsEvent:
        """Blocking :meth:`gcclient.Agent.get_phonebook_contacts`: the contacts of a phonebook."""
        return self._run(self._a.get_phonebook_contacts(phonebook_id, timeout=timeout))

    def get_team_phonebook(self, *, timeout: Optional[float] = None) -> TeamPhonebooksEvent:
        """Blocking :meth:`gcclient.Agent.get_team_phonebook`: the team phonebook."""
        return self._run(self._a.get_team_phonebook(timeout=timeout))

    def get_queue_list(self, *, timeout: Optional[float] = None) -> QueueListEvent:
        """Blocking :meth:`gcclient.Agent.get_queue_list`: queue statistics (``getqueuelist``)."""
        return self._run(self._a.get_queue_list(timeout=timeout))

    def get_skill_groups(self, *, timeout: Optional[float] = None) -> CallbackMessageEvent:
        """Blocking :meth:`gcclient.Agent.get_skill_groups`: skill groups (UCCE; ``GETSKILLGROPU``)."""
        return self._run(self._a.get_skill_groups(timeout=timeout))

    def get_supervisors(self, *, timeout: Optional[float] = None) -> CallbackMessageEvent:
        """Blocking :meth:`gcclient.Agent.get_supervisors`: supervisors (UCCE; ``GETSUPERVISOR``)."""
        return self._run(self._a.get_supervisors(timeout=timeout))

    def make_call(self, number: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.make_call`: dials a number or extension (``MakeCall``)."""
        return self._run(self._a.make_call(number, timeout=timeout))

    def answer(self, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.answer`: answers a ringing dialog (``AnswerCall``)."""
        return self._run(self._a.answer(dialog_id, timeout=timeout))

    def release(self, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.release`: drops a dialog (``ReleaseCall``)."""
        return self._run(self._a.release(dialog_id, timeout=timeout))

    def hold(self, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.hold`: puts a dialog on hold (``HoldCall``)."""
        return self._run(self._a.hold(dialog_id, timeout=timeout))

    def retrieve(self, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.retrieve`: retrieves a held dialog (``RetrieveCall``)."""
        return self._run(self._a.retrieve(dialog_id, timeout=timeout))

    def get_dialog_state(self, dialog_id: str, *, timeout: Optional[float] = None) -> DialogStateEvent:
        """Blocking :meth:`gcclient.Agent.get_dialog_state`: the state of one dialog (``GetDialogState``)."""
        return self._run(self._a.get_dialog_state(dialog_id, timeout=timeout))

    def single_step_transfer(self, extension: str, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.single_step_transfer`: blind transfer (``Transfer_sst``)."""
        return self._run(self._a.single_step_transfer(extension, dialog_id, timeout=timeout))

    def consult(self, extension: str, dialog_id: str, *, timeout: Optional[float] = None) -> ConsultCallEvent:
        """Blocking :meth:`gcclient.Agent.consult`: starts a consult call (``ConsultCall``)."""
        return self._run(self._a.consult(extension, dialog_id, timeout=timeout))

    def transfer(self, extension: str, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.transfer`: completes a consult transfer (``TransferCall``)."""
        return self._run(self._a.transfer(extension, dialog_id, timeout=timeout))

    def conference(self, extension: str, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.conference`: conferences the consulted party (``Conferencecall``)."""
        return self._run(self._a.conference(extension, dialog_id, timeout=timeout))

    def drop_participant(self, extension: str, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.drop_participant`: drops a participant from a call (supervisor)."""
        return self._run(self._a.drop_participant(extension, dialog_id, timeout=timeout))

    def wrap_up(self, reason: str, dialog_id: str, *, timeout: Optional[float] = None) -> DialogStateEvent:
        """Blocking :meth:`gcclient.Agent.wrap_up`: sets the wrap-up reason of a dialog (``wrapup``)."""
        return self._run(self._a.wrap_up(reason, dialog_id, timeout=timeout))

    def update_call_variables(self, dialog_id: str, variables: CallVariablesArg, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.update_call_variables`: sets call variables by name (a mapping or ``(name, value)`` pairs)."""
        return self._run(self._a.update_call_variables(dialog_id, variables, timeout=timeout))

    def silent_monitor(self, extension: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.silent_monitor`: silently monitors a team member (supervisor)."""
        return self._run(self._a.silent_monitor(extension, timeout=timeout))

    def end_silent_monitor(self, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.end_silent_monitor`: ends silent monitoring."""
        return self._run(self._a.end_silent_monitor(dialog_id, timeout=timeout))

    def barge_in(self, extension: str, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.barge_in`: barges in on a call (supervisor)."""
        return self._run(self._a.barge_in(extension, dialog_id, timeout=timeout))

    def get_team_users(self, team_id: str, subscribe: bool = False, *, timeout: Optional[float] = None) -> TeamUsersListEvent:
        """Blocking :meth:`gcclient.Agent.get_team_users`: a team's members, optionally subscribing to their state changes (supervisor)."""
        return self._run(self._a.get_team_users(team_id, subscribe, timeout=timeout))

    def get_team_users_state(self, team_agent_id: str, *, timeout: Optional[float] = None) -> TeamUsersListEvent:
        """Blocking :meth:`gcclient.Agent.get_team_users_state`: the state of a team member (supervisor)."""
        return self._run(self._a.get_team_users_state(team_agent_id, timeout=timeout))

    def accept_outbound_preview(self, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.accept_outbound_preview`: accepts an outbound preview call or personal callback."""
        return self._run(self._a.accept_outbound_preview(dialog_id, timeout=timeout))

    def reject_outbound_preview(self, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.reject_outbound_preview`: rejects an outbound preview call or personal callback."""
        return self._run(self._a.reject_outbound_preview(dialog_id, timeout=timeout))

    def close_outbound_preview(self, dialog_id: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.close_outbound_preview`: closes an outbound preview call."""
        return self._run(self._a.close_outbound_preview(dialog_id, timeout=timeout))

    def schedule_callback(self, target_media_address: str, dialog_id: str, callback_time: str, callback_number: str, *, timeout: Optional[float] = None) -> CallbackScheduledEvent:
        """Blocking :meth:`gcclient.Agent.schedule_callback`: schedules a campaign callback."""
        return self._run(self._a.schedule_callback(target_media_address, dialog_id, callback_time, callback_number, timeout=timeout))

    def update_callback(self, target_media_address: str, dialog_id: str, callback_time: str, callback_number: str, *, timeout: Optional[float] = None) -> CallbackScheduledEvent:
        """Blocking :meth:`gcclient.Agent.update_callback`: updates a scheduled callback."""
        return self._run(self._a.update_callback(target_media_address, dialog_id, callback_time, callback_number, timeout=timeout))

    def cancel_callback(self, target_media_address: str, dialog_id: str, *, timeout: Optional[float] = None) -> CallbackScheduledEvent:
        """Blocking :meth:`gcclient.Agent.cancel_callback`: cancels a scheduled callback."""
        return self._run(self._a.cancel_callback(target_media_address, dialog_id, timeout=timeout))

    def reclassify_call(self, target_media_address: str, dialog_id: str, value: str, *, timeout: Optional[float] = None) -> InboundCallEvent:
        """Blocking :meth:`gcclient.Agent.reclassify_call`: reclassifies a direct preview call."""
        return self._run(self._a.reclassify_call(target_media_address, dialog_id, value, timeout=timeout))


__all__ = ["AgentCommands", "SyncAgentCommands", "CallVariablesArg"]
