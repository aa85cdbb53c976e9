#pragma once

#include <QString>
#include <QStringView>

#include <array>
#include <optional>
#include <utility>

namespace confab {

// The names an enum has in JSON and in the database, in one table per enum, read both ways.
template<typename Enum, std::size_t Count>
class EnumNames
{
public:
    constexpr explicit EnumNames(std::array<std::pair<Enum, QStringView>, Count> names)
        : m_names(names)
    {}

    // The first entry is also the name of a value missing from the table.
    QString name(Enum value) const
    {
        for (const auto &[candidate, text] : m_names) {
            if (candidate == value)
                return text.toString();
        }
        return m_names.front().second.toString();
    }

    std::optional<Enum> value(QStringView name) const
    {
        for (const auto &[candidate, text] : m_names) {
            if (text == name)
                return candidate;
        }
        return std::nullopt;
    }

private:
    std::array<std::pair<Enum, QStringView>, Count> m_names;
};

} // namespace confab
