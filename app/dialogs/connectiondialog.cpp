#include "connectiondialog.h"

#include "connectioneditor.h"

#include <QDialogButtonBox>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace confab {

ConnectionDialog::ConnectionDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Connection"));
    setMinimumWidth(520);

    m_editor = new ConnectionEditor(this);
    m_editor->setObjectName(u"m_editor"_s);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(u"m_buttons"_s);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_editor);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_editor, &ConnectionEditor::changed, this, &ConnectionDialog::updateButtons);
    updateButtons();
}

void ConnectionDialog::updateButtons()
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_editor->isComplete());
}

} // namespace confab
