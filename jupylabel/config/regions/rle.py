"""Label Studio's brush masks: its ``rle`` bytes ↔ numpy arrays.

Label Studio stores a brush region as the RGBA pixels of the image's natural size (each pixel's
four channels equal to its alpha, 255 where painted) packed by the run-length scheme of
``@thi.ng/rle-pack`` (word size 8, run-length group sizes 3, 4, 8, 16 bits):

* a header: the number of words (32 bits), the word size − 1 (5 bits), each group size − 1
  (4 bits each);
* then records: 1 bit (1 = a run of one value, 0 = a chunk of single values), 2 bits (which
  group size follows), the run's (or chunk's) length − 1 in that many bits, then the value (or
  the chunk's values), 8 bits each. A run is at most 65,536 words; longer ones are split.

:func:`encode` writes exactly what Label Studio's editor writes for a mask of whole pixels (its
four equal channels make every run at least four words long, so no chunks are needed), and
:func:`decode_alpha` reads any stream, chunks included, as Label Studio's converter
(``label_studio_sdk.converter.brush.decode_rle``) does. Both are vectorised with numpy except
for the walk over the records, whose lengths are known only one after another.

numpy is imported inside the functions: the config is read by the server, which loads it
lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

WORD_BITS = 8
GROUP_BITS = (3, 4, 8, 16)  # run-length group sizes, as Label Studio's editor writes them
MAX_RUN = 1 << GROUP_BITS[-1]  # the longest run one record holds
HEADER_BITS = 32 + 5 + 4 * len(GROUP_BITS)


class RLEError(ValueError):
    """The bytes are no brush mask of the size they claim (or of the image's size)."""


def word_count(rle: list[int] | bytes) -> int:
    """The number of words (4 × pixels) the header of ``rle`` announces."""
    if len(rle) < 7:
        raise RLEError(f"a brush mask's rle needs a 7-byte header, got {len(rle)} bytes")
    return (rle[0] << 24) | (rle[1] << 16) | (rle[2] << 8) | rle[3]


def encode(mask: np.ndarray) -> list[int]:
    """The ``rle`` bytes (a list of ints, as the JSON holds them) of a 2-D mask (anything
    non-zero is painted), as Label Studio's editor writes them."""
    import numpy as np

    mask = np.asarray(mask)
    if mask.ndim != 2:
        raise RLEError(f"a mask is 2-D (height × width), got shape {mask.shape}")
    flat = (mask.reshape(-1) != 0).astype(np.uint8)
    n = flat.size
    if n == 0:
        raise RLEError("a mask needs at least one pixel")
    # runs of pixels → runs of words (four channels each), split at MAX_RUN
    edges = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    starts = np.concatenate(([0], edges))
    lengths = np.diff(np.concatenate((starts, [n]))).astype(np.int64) * 4
    values = flat[starts].astype(np.int64) * 255
    pieces = (lengths + MAX_RUN - 1) // MAX_RUN
    values = np.repeat(values, pieces)
    last = np.cumsum(pieces) - 1
    run = np.full(values.size, MAX_RUN, dtype=np.int64)
    run[last] = lengths - (pieces - 1) * MAX_RUN
    count = run - 1  # what a record stores
    group = np.select([count < 1 << GROUP_BITS[0], count < 1 << GROUP_BITS[1], count < 1 << GROUP_BITS[2]],
                      [0, 1, 2], 3)
    size = np.asarray(GROUP_BITS, dtype=np.int64)[group]
    width = 1 + 2 + size + WORD_BITS
    record = (1 << (width - 1)) | (group << (width - 3)) | (count << WORD_BITS) | values
    header = (((4 * n) << 21) | ((WORD_BITS - 1) << 16)
              | sum((g - 1) << (12 - 4 * i) for i, g in enumerate(GROUP_BITS)))
    words = np.concatenate(([header], record))
    widths = np.concatenate(([HEADER_BITS], width))
    # every field's bits, most significant first, then packed into bytes
    total = int(widths.sum())
    offsets = np.repeat(np.cumsum(widths) - 1, widths)  # each bit's record's last bit position
    shifts = offsets - np.arange(total)
    bits = ((np.repeat(words, widths) >> shifts) & 1).astype(np.uint8)
    return np.packbits(bits).tolist()


def as_bytes(rle) -> bytes:
    """``rle`` as bytes, whether a list of ints (JSON), a numpy array (a frame's column) or bytes."""
    if isinstance(rle, (bytes, bytearray)):
        return bytes(rle)
    import numpy as np

    array = np.asarray(rle)
    if array.ndim != 1 or (array.size and (array.min() < 0 or array.max() > 255)):
        raise RLEError("a brush mask's rle is a list of bytes (whole numbers 0–255)")
    return array.astype(np.uint8).tobytes()


def _records(rle: bytes, num: int):
    """``(values, lengths)`` of every record (a chunk is one record per value)."""
    data = bytes(rle) + b"\0" * 5
    end_bits = len(rle) * 8
    pos = HEADER_BITS
    word_bits = ((data[4] >> 3) & 0x1F) + 1
    header = int.from_bytes(data[4:7], "big")  # 5 + 16 bits after the count, at bit 32
    groups = [((header >> (15 - 4 * i)) & 0xF) + 1 for i in range(4)]

    def read(k: int) -> int:
        nonlocal pos
        if pos + k > end_bits:
            raise RLEError(f"the rle ends at bit {end_bits}, a record needs bit {pos + k}")
        window = int.from_bytes(data[pos >> 3:(pos >> 3) + 5], "big")
        value = (window >> (40 - (pos & 7) - k)) & ((1 << k) - 1)
        pos += k
        return value

    values: list[int] = []
    lengths: list[int] = []
    i = 0
    while i < num:
        repeat = read(1)
        n = 1 + read(groups[read(2)])
        if repeat:
            values.append(read(word_bits))
            lengths.append(n)
        else:
            for _ in range(n):
                values.append(read(word_bits))
                lengths.append(1)
        i += n
    if i != num:
        raise RLEError(f"the rle's records hold {i} words, its header says {num}")
    return values, lengths


def decode_words(rle: list[int] | bytes) -> np.ndarray:
    """Every word of ``rle`` (uint8, 4 × pixels long: RGBA), as the SDK's ``decode_rle``."""
    import numpy as np

    data = as_bytes(rle)
    num = word_count(data)
    values, lengths = _records(data, num)
    return np.repeat(np.asarray(values, dtype=np.uint8), np.asarray(lengths, dtype=np.int64))


def decode_alpha(rle: list[int] | bytes, width: int, height: int) -> np.ndarray:
    """The alpha channel (uint8, height × width) of ``rle``: the layer Label Studio's
    converter exports (BRUSH_TO_NUMPY, BRUSH_TO_PNG)."""
    num = word_count(rle)
    if num != 4 * width * height:
        raise RLEError(f"the rle holds {num // 4} pixels, the image {width}×{height} has {width * height}")
    return decode_words(rle).reshape(height, width, 4)[:, :, 3]


def decode(rle: list[int] | bytes, width: int, height: int) -> np.ndarray:
    """The mask (bool, height × width) of ``rle``: a pixel is painted where its alpha is not
    zero (Label Studio's editor shows it there)."""
    return decode_alpha(rle, width, height) != 0


def area_and_bbox(mask: np.ndarray) -> tuple[int, list[int] | None]:
    """The painted pixels of a mask and their box ``[x, y, width, height]`` in pixels (None when
    nothing is painted)."""
    import numpy as np

    area = int(np.count_nonzero(mask))
    if not area:
        return 0, None
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    return area, [int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)]
