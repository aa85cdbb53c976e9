#include "mainwindow/application.h"

int main(int argc, char *argv[])
{
    return confab::Application::run(argc, argv);
}
