#pragma once

// Each adds one area's routes of DESIGN.md section 4 to the router.

namespace confab {

class Router;
struct Services;

void addAuthRoutes(Router &router, Services &services);
void addAccountRoutes(Router &router, Services &services);
void addConversationRoutes(Router &router, Services &services);
void addChatRoutes(Router &router, Services &services);
void addAdminRoutes(Router &router, Services &services);
void addGatewayRoutes(Router &router, Services &services);
void addOpsRoutes(Router &router, Services &services);

} // namespace confab
