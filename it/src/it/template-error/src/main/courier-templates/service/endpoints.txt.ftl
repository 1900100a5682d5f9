<#list service.methods as m>
${m.polcy.balancer}
</#list>
