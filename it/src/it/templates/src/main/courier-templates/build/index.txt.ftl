<#list build.services as s>
${s.fullName} ${s.javaClient}
</#list>
