"""OpenAI's audio APIs: transcriptions (``multipart/form-data`` in, the transcript out in the
requested ``response_format``) and speech (JSON in, audio bytes out).

Read from OpenAI's API reference (audio; 2026): the gpt-4o(-mini)-transcribe models answer
``json`` with ``usage`` of type ``tokens`` (input split into text and audio tokens, output,
total) and accept only ``json`` and ``text``; whisper-1 answers ``json`` and ``verbose_json``
with ``usage`` of type ``duration`` (the audio's seconds, rounded up), ``verbose_json`` adding
``task``, ``language``, ``duration`` and ``segments`` (``words`` when asked for by
``timestamp_granularities[]``); ``text``, ``srt`` and ``vtt`` are the bare transcript, without
usage. Speech is the audio file itself, in the requested ``response_format`` (mp3 by default).
"""

from __future__ import annotations

from typing import Final

from .base import Endpoint
from .scenarios import _Scenario
from .wire import (
    SPEECH_AUDIO_BYTES,
    TRANSCRIPTION_AUDIO_TOKENS,
    TRANSCRIPTION_DURATION,
    TRANSCRIPTION_INPUT_TOKENS,
    TRANSCRIPTION_LANGUAGE,
    TRANSCRIPTION_OUTPUT_TOKENS,
    TRANSCRIPTION_SECONDS,
    TRANSCRIPTION_TEXT,
    TRANSCRIPTION_TEXT_TOKENS,
    TRANSCRIPTION_TOTAL_TOKENS,
    JSONObject,
)

_TOKEN_BILLED_FORMATS: Final = ("json", "text")
# response_format: (Content-Type, the first bytes of such a file)
_AUDIO_FORMATS: Final[dict[str, tuple[str, bytes]]] = {
    "mp3": ("audio/mpeg", b"ID3\x04\x00\x00\x00\x00\x00\x00"),
    "opus": ("audio/opus", b"OggS\x00\x02"),
    "aac": ("audio/aac", b"\xff\xf1\x50\x80"),
    "flac": ("audio/flac", b"fLaC\x00\x00\x00\x22"),
    "wav": ("audio/wav", b"RIFF\xf8\x01\x00\x00WAVEfmt "),
    "pcm": ("audio/pcm", b""),
}


def _bills_tokens(model: str) -> bool:
    """gpt-4o-transcribe, gpt-4o-mini-transcribe and their dated versions; whisper-1 bills seconds."""
    return "transcribe" in model


def _timestamp(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, minutes, secs = millis // 3_600_000, millis // 60_000 % 60, millis // 1000 % 60
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis % 1000:03d}"


def _segments(words: list[str]) -> list[object]:
    half = len(words) // 2
    parts = [" ".join(words[:half]), " ".join(words[half:])]
    ends = [round(TRANSCRIPTION_DURATION / 2, 2), TRANSCRIPTION_DURATION]
    segments: list[object] = []
    for index, text in enumerate(parts):
        segments.append(
            {
                "id": index,
                "seek": 0,
                "start": 0.0 if index == 0 else ends[0],
                "end": ends[index],
                "text": " " + text,
                "tokens": [50364 + 7 * index + k for k in range(len(text.split()))],
                "temperature": 0.0,
                "avg_logprob": -0.2143,
                "compression_ratio": 1.0526,
                "no_speech_prob": 0.0081,
            }
        )
    return segments


def _words(words: list[str]) -> list[object]:
    step = TRANSCRIPTION_DURATION / len(words)
    return [
        {"word": word.strip(".,"), "start": round(i * step, 2), "end": round((i + 1) * step, 2)}
        for i, word in enumerate(words)
    ]


def speech_audio(response_format: str = "mp3") -> bytes:
    """The audio body ``/v1/audio/speech`` answers in ``response_format``: that format's magic
    bytes, then filler, ``SPEECH_AUDIO_BYTES`` long."""
    _, magic = _AUDIO_FORMATS.get(response_format, _AUDIO_FORMATS["mp3"])
    return magic + bytes((i * 37 + 11) % 256 for i in range(SPEECH_AUDIO_BYTES - len(magic)))


class AudioRoutes(Endpoint):
    # -- /v1/audio/transcriptions
    def _transcriptions(self, body: JSONObject, sc: _Scenario) -> None:
        self._provider._next_id()
        raw_format = body.get("response_format")
        response_format = raw_format if isinstance(raw_format, str) else "json"
        tokens = _bills_tokens(sc.model)
        if tokens and response_format not in _TOKEN_BILLED_FORMATS:
            self._send_error(
                400,
                f"response_format '{response_format}' is not compatible with model '{sc.model}'. "
                "Use 'json' or 'text' instead.",
                anthropic=False,
            )
            return
        if response_format == "text":
            self._send_bytes(f"{TRANSCRIPTION_TEXT}\n".encode(), "text/plain; charset=utf-8")
            return
        if response_format == "srt":
            cue = f"00:00:00,000 --> {_timestamp(TRANSCRIPTION_DURATION, ',')}"
            self._send_bytes(f"1\n{cue}\n{TRANSCRIPTION_TEXT}\n\n".encode(), "text/plain; charset=utf-8")
            return
        if response_format == "vtt":
            cue = f"00:00:00.000 --> {_timestamp(TRANSCRIPTION_DURATION, '.')}"
            self._send_bytes(f"WEBVTT\n\n{cue}\n{TRANSCRIPTION_TEXT}\n\n".encode(), "text/vtt; charset=utf-8")
            return
        payload: JSONObject = {}
        if response_format == "verbose_json":
            granularities = body.get("timestamp_granularities[]")
            wanted = granularities if isinstance(granularities, list) else [granularities or "segment"]
            words = TRANSCRIPTION_TEXT.split()
            payload = {
                "task": "transcribe",
                "language": TRANSCRIPTION_LANGUAGE,
                "duration": TRANSCRIPTION_DURATION,
                "text": TRANSCRIPTION_TEXT,
            }
            if "word" in wanted:
                payload["words"] = _words(words)
            if "segment" in wanted:
                payload["segments"] = _segments(words)
        else:
            payload["text"] = TRANSCRIPTION_TEXT
        if not sc.no_usage:
            payload["usage"] = (
                {
                    "type": "tokens",
                    "input_tokens": TRANSCRIPTION_INPUT_TOKENS,
                    "input_token_details": {
                        "text_tokens": TRANSCRIPTION_TEXT_TOKENS,
                        "audio_tokens": TRANSCRIPTION_AUDIO_TOKENS,
                    },
                    "output_tokens": TRANSCRIPTION_OUTPUT_TOKENS,
                    "total_tokens": TRANSCRIPTION_TOTAL_TOKENS,
                }
                if tokens
                else {"type": "duration", "seconds": TRANSCRIPTION_SECONDS}
            )
        self._send_json(200, payload)

    # -- /v1/audio/speech
    def _speech(self, body: JSONObject, sc: _Scenario) -> None:
        self._provider._next_id()
        raw_format = body.get("response_format")
        response_format = raw_format if isinstance(raw_format, str) else "mp3"
        content_type, _ = _AUDIO_FORMATS.get(response_format, _AUDIO_FORMATS["mp3"])
        self._send_bytes(speech_audio(response_format), content_type)
