// The printable command sheet (commands.html): its only script wires the Print button, since the
// Content-Security-Policy allows no inline handlers.

const button = document.getElementById('btn-print');
if (button) button.addEventListener('click', () => window.print());
