#pragma once

class QWidget;

namespace confab {

// Makes window tall enough for its layout once pending layout work is done. A window's layout
// does not grow it for height-for-width children (wrapped labels) on its own, so text that
// appears or wraps later would be clipped.
void growWindowToFit(QWidget *window);

} // namespace confab
