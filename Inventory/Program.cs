using OrderSystem.Inventory.Extensions;
using OrderSystem.Inventory.Grpc;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcService<InventoryGrpcService>();
app.MapGrpcDefaultEndpoints();

app.Run();
