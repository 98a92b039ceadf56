// The station commands: the texts the on-screen buttons send and the printed barcodes carry
// (commands.html prints one barcode per command), and when a second FINISH can count.

/** What each command sends, exactly as a scanner reads it from the printed barcode. */
export const COMMAND_TEXT = Object.freeze({ UNDO: 'CMD-UNDO', FINISH: 'CMD-FINISH', CANCEL: 'CMD-CANCEL' });

/**
 * How long, in ms from now, the finish-short Confirm button must stay disabled: within the bounce
 * window after a CMD-FINISH scan a second CMD-FINISH is dropped as an echo, so a tap on Confirm
 * there would silently do nothing. 0 when it can work at once.
 */
export function confirmHoldMs(lastTaken, now, bounceMillis) {
  if (!lastTaken || lastTaken.text.trim() !== COMMAND_TEXT.FINISH) return 0;
  return Math.max(0, bounceMillis - (now - lastTaken.at));
}
