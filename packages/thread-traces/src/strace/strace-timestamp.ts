/**
 * strace's three timestamp forms, read without a regular expression: `-t` (`01:10:25`, time of
 * day, whole seconds), `-tt` (`01:10:25.715829`, time of day) and `-ttt` (`1796605779.782214`,
 * seconds since the epoch). A fraction of more than six digits (`--timestamps=ns`) is cut to
 * microseconds.
 */

export const MICROS_PER_DAY = 86_400_000_000;
const HALF_DAY = MICROS_PER_DAY / 2;

const ZERO = 48;
const isDigit = (code: number): boolean => code >= ZERO && code <= ZERO + 9;

/**
 * Reads timestamps, keeping what the last one found besides its value: each reader of a stream
 * owns one, so a read allocates nothing.
 */
export class TimestampReader {
  /** The index just past the last timestamp read. */
  end = 0;
  /** Whether it was a time of day (`-t`, `-tt`) rather than seconds since the epoch (`-ttt`). */
  timeOfDay = false;

  /**
   * The timestamp at `position` of `text` in microseconds (since midnight for `-t`/`-tt`, since
   * the epoch for `-ttt`), or -1 when there is none there; on success `end` and `timeOfDay` say
   * where it ended and which scale it is on.
   */
  read(text: string, position: number): number {
    let index = position;
    let whole = 0;
    let digits = 0;
    let code = text.charCodeAt(index);
    while (isDigit(code) && digits < 12) {
      whole = whole * 10 + (code - ZERO);
      digits += 1;
      index += 1;
      code = text.charCodeAt(index);
    }
    if (digits === 0) return -1;
    let seconds: number;
    let timeOfDay = false;
    if (code === 58 /* : */) {
      // HH:MM:SS
      if (digits > 2 || whole > 23) return -1;
      const minutes = readTwoDigits(text, index + 1);
      if (minutes < 0 || minutes > 59 || text.charCodeAt(index + 3) !== 58) return -1;
      const secondsOfMinute = readTwoDigits(text, index + 4);
      if (secondsOfMinute < 0 || secondsOfMinute > 60) return -1;
      seconds = whole * 3600 + minutes * 60 + secondsOfMinute;
      index += 6;
      code = text.charCodeAt(index);
      timeOfDay = true;
    } else if (code === 46 /* . */) {
      seconds = whole;
    } else {
      return -1;
    }
    let micros = 0;
    if (code === 46) {
      index += 1;
      let fractionDigits = 0;
      code = text.charCodeAt(index);
      while (isDigit(code)) {
        if (fractionDigits < 6) micros = micros * 10 + (code - ZERO);
        fractionDigits += 1;
        index += 1;
        code = text.charCodeAt(index);
      }
      if (fractionDigits === 0) return -1;
      for (let scale = fractionDigits; scale < 6; scale += 1) micros *= 10;
    } else if (!timeOfDay) {
      return -1;
    }
    this.end = index;
    this.timeOfDay = timeOfDay;
    return seconds * 1_000_000 + micros;
  }
}

function readTwoDigits(text: string, position: number): number {
  const high = text.charCodeAt(position);
  const low = text.charCodeAt(position + 1);
  if (!isDigit(high) || !isDigit(low)) return -1;
  return (high - ZERO) * 10 + (low - ZERO);
}

/**
 * Turns one stream's timestamps into one increasing scale: a time of day (`-t`, `-tt`) more than
 * twelve hours before the stream's previous one is the next day (the run crossed midnight; no
 * real trace steps back that far otherwise). Epoch times (`-ttt`) pass unchanged.
 */
export class StraceClock {
  private last = -1;
  private day = 0;
  private timeOfDay: boolean | null = null;

  /** `null` when the scale differs from the stream's first timestamp (the caller says which line). */
  micros(raw: number, timeOfDay: boolean): number | null {
    if (this.timeOfDay === null) this.timeOfDay = timeOfDay;
    else if (this.timeOfDay !== timeOfDay) return null;
    if (!timeOfDay) return raw;
    if (this.last >= 0 && raw < this.last - HALF_DAY) this.day += MICROS_PER_DAY;
    this.last = raw;
    return raw + this.day;
  }

  /** Starts the clock's day count at `days` (for `-ff` parts that begin after midnight). */
  startOnDay(days: number): void {
    this.day = days * MICROS_PER_DAY;
  }
}
