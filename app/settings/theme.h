#pragma once

#include "settings/settings.h"

class QApplication;

namespace confab {

// Applies the light, dark or system look to the whole application (Fusion style with a
// palette of ours, so both themes look the same on every platform).
class Theme
{
public:
    static void apply(QApplication &app, Settings::Theme theme);
    // Whether the palette in force is dark (also true for System on a dark desktop).
    static bool isDark();
};

} // namespace confab
